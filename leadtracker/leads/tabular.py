"""Reading the spreadsheets people bring: CSV in any common encoding and delimiter, and XLSX,
row by row (constant memory), with headers mapped to lead fields automatically."""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

SAMPLE_BYTES = 256 * 1024
ZIP_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    pass


class BrokenLine:
    """A line the CSV reader could not read (a stray quote, a NUL byte, a huge cell): reported
    as that row's error while the reading goes on."""

    def __init__(self, message: str):
        self.message = message


# A notes cell may be long, but not unbounded.
csv.field_size_limit(1024 * 1024)
MAX_BROKEN_IN_A_ROW = 1000


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[list]  # data rows, each a list of cell values
    progress: callable  # () -> fraction of the file read so far
    encoding: str = ""
    delimiter: str = ""
    close: callable = lambda: None


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"
    if len(sample) >= 4 and sample[1] == 0 and sample[3] == 0:
        return "utf-16-le"  # UTF-16 without its BOM
    try:
        # The sample may end inside a multi-byte character: ignore up to 3 trailing bytes.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"  # what Excel on Windows writes for "CSV" in English locales


def detect_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in ",;\t|"}
        return max(counts, key=counts.get) if max(counts.values()) else ","


def open_csv(path: str) -> Table:
    raw = open(path, "rb")  # noqa: SIM115 — closed by Table.close
    size = max(1, _size(raw))
    sample = raw.read(SAMPLE_BYTES)
    raw.seek(0)
    encoding = detect_encoding(sample)
    text_sample = sample.decode(encoding, errors="ignore")
    delimiter = detect_delimiter(text_sample.lstrip("\ufeff"))
    # errors="replace": one bad byte in row 40,000 becomes "�" there instead of stopping the file.
    text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raw.close()
        raise UnreadableFile("the file is empty") from None
    headers = [_text(h.lstrip("\ufeff")).strip() for h in headers]

    def rows():
        broken = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                broken += 1
                if broken > MAX_BROKEN_IN_A_ROW:
                    raise UnreadableFile(f"too many unreadable lines in a row ({exc})") from None
                yield BrokenLine(f"unreadable line: {exc}")
                continue
            broken = 0
            if any(cell.strip() for cell in row):
                yield [_text(cell) for cell in row]

    return Table(
        headers=headers,
        rows=rows(),
        progress=lambda: min(1.0, raw.tell() / size),
        encoding=encoding,
        delimiter=delimiter,
        close=raw.close,
    )


def check_zip(path: str, *, max_unpacked: int, max_ratio: int) -> None:
    """Refuse a zip bomb before anything inflates it: the members' declared sizes (which
    zipfile also holds them to while reading) must stay under a total and a compression ratio."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(f"not a readable XLSX file ({exc})") from None
    total = 0
    for member in members:
        total += member.file_size
        # Small members may compress extremely (empty styles); only sizable ones can hurt.
        if member.file_size > 1024 * 1024 and member.file_size > max_ratio * max(1, member.compress_size):
            ratio = member.file_size // max(1, member.compress_size)
            raise UnreadableFile(
                f"{member.filename} inside it is compressed {ratio} times (more than {max_ratio}); "
                "refused as a possible zip bomb"
            )
    if total > max_unpacked:
        raise UnreadableFile(
            f"it would unpack to {total // (1024 * 1024)} MB, more than the "
            f"{max_unpacked // (1024 * 1024)} MB allowed"
        )


def open_xlsx(path: str, max_rows: int | None = None) -> Table:
    from zipfile import BadZipFile

    from django.conf import settings
    from openpyxl import load_workbook

    check_zip(path, max_unpacked=settings.IMPORT_XLSX_MAX_UNPACKED, max_ratio=settings.IMPORT_XLSX_MAX_RATIO)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError) as exc:
        raise UnreadableFile(f"not a readable XLSX file ({exc})") from None
    sheet = workbook.worksheets[0]
    total = max(1, sheet.max_row or 1)
    it = sheet.iter_rows(values_only=True)
    try:
        headers = ["" if v is None else _text(str(v)).strip() for v in next(it)]
    except StopIteration:
        workbook.close()
        raise UnreadableFile("the sheet is empty") from None
    seen = {"n": 1}

    def rows():
        for values in it:
            seen["n"] += 1
            cells = ["" if v is None else _cell_text(v) for v in values]
            if any(c.strip() for c in cells):
                yield cells

    return Table(
        headers=headers,
        rows=rows(),
        progress=lambda: min(1.0, seen["n"] / total),
        encoding="xlsx",
        delimiter="",
        close=workbook.close,
    )


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers typed as numbers: 9876543210.0 -> 9876543210
    return _text(str(value))


def _text(cell: str) -> str:
    """A NUL character becomes "\ufffd", as an undecodable byte does: PostgreSQL cannot store a
    NUL in text (SQLite can), so without this one file imported on one database and not on the
    other; the mark shows where, and a number with one fails its check naming the column."""
    return cell.replace("\x00", "\ufffd") if "\x00" in cell else cell


def _size(fh) -> int:
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(0)
    return size


def open_table(path: str) -> Table:
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic == ZIP_MAGIC:
        return open_xlsx(path)
    return open_csv(path)


# --- header mapping ---------------------------------------------------------------------

FIELDS = {
    "name": "Name",
    "first_name": "First name",
    "last_name": "Last name",
    "company": "Company",
    "phone": "Phone (every such column is one of the lead's numbers)",
    "email": "E-mail",
    "city": "City",
    "address": "Address",
    "source": "Source",
    "status": "Status",
    "owner": "Owner (e-mail)",
    "value": "Value",
    "tags": "Tags (comma-separated)",
    "notes": "Notes",
    "created_at": "Created at",
    "do_not_call": "Do not call",
    "marketing_consent": "Marketing consent",
    "lost_reason": "Lost reason",
}

# Header spellings seen in exports of Zoho CRM, HubSpot, Salesforce, Facebook Lead Ads,
# IndiaMART, JustDial and hand-made sheets; compared after normalise_header().
SYNONYMS = {
    "name": [
        "name",
        "full name",
        "fullname",
        "lead name",
        "customer name",
        "customer",
        "client name",
        "client",
        "contact name",
        "contact person",
        "party name",
        "sender name",
        "buyer name",
        "person name",
        "enquirer name",
        "your name",
        "naam",
    ],
    "first_name": ["first name", "firstname", "given name", "fname"],
    "last_name": ["last name", "lastname", "surname", "family name", "lname"],
    "company": [
        "company",
        "company name",
        "organisation",
        "organization",
        "account name",
        "account",
        "business name",
        "firm name",
        "sender company",
        "firm",
    ],
    "phone": [
        "phone",
        "phone number",
        "phone no",
        "phone num",
        "mobile",
        "mobile no",
        "mobile number",
        "mobile phone",
        "mobile phone number",
        "cell",
        "cell phone",
        "contact no",
        "contact number",
        "contact num",
        "whatsapp",
        "whatsapp no",
        "whatsapp number",
        "telephone",
        "tel",
        "sender mobile",
        "sender phone",
        "alternate phone",
        "alternate mobile",
        "alt phone",
        "other phone",
        "home phone",
        "work phone",
        "business phone",
        "landline",
        "mob",
        "mob no",
        "primary phone",
        "secondary phone",
        "phone 1",
        "phone 2",
        "mobile 1",
        "mobile 2",
    ],
    "email": [
        "email",
        "e mail",
        "email address",
        "e mail address",
        "email id",
        "mail id",
        "mail",
        "sender email",
        "work email",
        "primary email",
    ],
    "city": ["city", "town", "sender city", "location", "area", "mailing city", "city town"],
    "address": [
        "address",
        "street",
        "street address",
        "mailing street",
        "full address",
        "sender address",
        "address line 1",
        "locality",
    ],
    "source": ["source", "lead source", "original source", "channel", "medium", "platform"],
    "status": ["status", "lead status", "stage", "lifecycle stage", "pipeline stage"],
    "owner": [
        "owner",
        "lead owner",
        "owner email",
        "assigned to",
        "assigned",
        "contact owner",
        "sales rep",
        "agent",
        "salesperson",
    ],
    "value": ["value", "amount", "deal value", "budget", "expected revenue", "annual revenue", "price"],
    "tags": ["tags", "tag", "labels", "label"],
    "notes": [
        "notes",
        "note",
        "remarks",
        "remark",
        "comments",
        "comment",
        "description",
        "message",
        "query message",
        "requirement",
        "enquiry",
        "inquiry",
        "query",
    ],
    "created_at": [
        "created time",
        "created at",
        "created",
        "created date",
        "create date",
        "date created",
        "lead date",
        "enquiry date",
        "query time",
        "date",
    ],
    "do_not_call": ["do not call", "dnc", "dnd", "do not disturb"],
    "marketing_consent": ["marketing consent", "email opt in", "opt in", "consent", "subscribed"],
    "lost_reason": ["lost reason", "reason lost", "unqualified reason"],
}
_LOOKUP = {syn: field for field, syns in SYNONYMS.items() for syn in syns}


def normalise_header(header: str) -> str:
    text = unicodedata.normalize("NFKC", header or "").lower()
    text = text.replace("_", " ").replace("-", " ").replace(".", " ").replace("/", " ")
    text = re.sub(r"[^0-9a-z ]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{column index (str): field}. Several columns may map to "phone"; any other field
    is taken by its first column only."""
    mapping, taken = {}, set()
    for i, header in enumerate(headers):
        key = normalise_header(header)
        field = _LOOKUP.get(key)
        if field is None:
            # "Phone (Work)", "Mobile No.", "Contact No 2": a phone word at the start.
            if re.match(r"^(phone|mobile|mob|contact no|contact number|whatsapp|cell|tel)\b", key):
                field = "phone"
            elif re.match(r"^(e ?mail)\b", key):
                field = "email"
        if field is None or (field in taken and field != "phone"):
            continue
        mapping[str(i)] = field
        taken.add(field)
    return mapping
