"""A workbook with a DTD entity, a damaged or cut-short workbook, and a zip that is no workbook
are refused naming the file's problem — 422 on the API, the form's error on the web — never a
500, and nothing is kept (issue 15 item 6). openpyxl parses through defusedxml."""

import io
import os
import struct
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from leadtracker.leads.imports.jobs import import_dir
from leadtracker.leads.models import ImportJob


def workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Phone"])
    for i in range(50):
        sheet.append([f"Raj {i}", f"98765{i:05d}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(member: str, change) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, change(data) if info.filename == member else data)
    return out.getvalue()


def with_doctype(declaration: bytes) -> bytes:
    return rewritten(
        "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<worksheet", declaration + b"<worksheet", 1)
    )


LAUGHS = (
    b'<!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


def damaged() -> bytes:
    """A workbook whose sheet's compressed bytes are garbled, its zip directory intact."""
    data = bytearray(workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # The member's data follows its local header: 30 bytes, then its name and extra field.
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    for offset in range(start + 20, start + info.compress_size - 20, 7):
        data[offset] ^= 0x5A
    return bytes(data)


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "Raj, 9876543210")
    return out.getvalue()


CASES = {
    "an entity (billion laughs)": (
        "leads.xlsx",
        with_doctype(LAUGHS),
        "refused for safety (EntitiesForbidden)",
    ),
    "an external entity": (
        "leads.xlsx",
        with_doctype(b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
        "document type declaration or entity",
    ),
    "a damaged sheet": ("leads.xlsx", damaged(), "damaged or cut short"),
    "a cut-short file": (
        "leads.xlsx",
        workbook()[:3000],
        "not a readable XLSX file: it is damaged or cut short",
    ),
    "a plain zip": ("leads.zip", plain_zip(), "a zip archive, not an XLSX workbook"),
    "a plain zip named .xlsx": ("leads.xlsx", plain_zip(), "a zip archive, not an XLSX workbook"),
}


def leftovers() -> list[str]:
    return sorted(os.listdir(import_dir()))


def test_openpyxl_parses_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML, functions

    assert DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")


@pytest.mark.parametrize("case", list(CASES))
def test_the_api_answers_422_naming_the_problem(acme, as_member, case):
    name, content, problem = CASES[case]
    before = leftovers()
    response = as_member(acme.maya).post(
        "/api/v1/imports", {"file": SimpleUploadedFile(name, content, "application/octet-stream")}
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["errors"][0]["field"] == "file"
    assert body["detail"].startswith(f"cannot read {name}: ") and problem in body["detail"], body
    assert not ImportJob.objects.exists()
    assert leftovers() == before  # the stored upload is removed again


@pytest.mark.parametrize("case", list(CASES))
def test_the_web_upload_shows_the_problem_on_the_form(acme, as_member, case):
    name, content, problem = CASES[case]
    response = as_member(acme.maya).post(
        "/leads/import/", {"file": SimpleUploadedFile(name, content, "application/octet-stream")}
    )
    assert response.status_code == 200, response.status_code
    assert escape(f"cannot read {name}: ") in response.content.decode()
    assert escape(problem) in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_workbook_with_a_bare_doctype_is_still_read(acme, as_member):
    """A declaration without entities carries nothing that could hurt: such a file imports."""
    content = with_doctype(b"<!DOCTYPE worksheet>")
    response = as_member(acme.maya).post(
        "/api/v1/imports", {"file": SimpleUploadedFile("leads.xlsx", content, "application/octet-stream")}
    )
    assert response.status_code == 201, response.content
    assert response.json()["headers"] == ["Name", "Phone"]
