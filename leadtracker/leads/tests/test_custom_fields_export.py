"""Custom fields in the CSV/XLSX export: a column per field (its key), typed cells, through
the one formula-safe writer; archived fields' values still exported; the list's custom filters
narrow the file too."""

import csv
import io

from openpyxl import load_workbook

from leadtracker.accounts.audit import Actor
from leadtracker.leads.fields import actions


def content(response):
    return b"".join(response.streaming_content)


def test_custom_columns_in_csv_and_xlsx(acme, api_as, new_lead):
    sys = Actor.system()
    actions.create_field(acme.org, label="Budget", type="money", actor=sys)
    actions.create_field(
        acme.org, label="Amenities", type="multiple_choice", choices=["Gym", "Pool"], actor=sys
    )
    actions.create_field(acme.org, label="Loan", type="yes_no", actor=sys)
    note = actions.create_field(acme.org, label="Remark", type="text", actor=sys)
    new_lead(
        acme,
        name="Ravi",
        phone="98765 40001",
        custom_fields={
            "budget": 4500000,
            "amenities": ["Gym", "Pool"],
            "loan": True,
            "remark": "=HYPERLINK(1)",
        },
    )
    new_lead(acme, name="Asha", phone="98765 40002", custom_fields={"budget": 9000000})
    actions.archive_field(note, actor=sys)
    client = api_as(acme.olga)
    response = client.get("/api/v1/leads/export?format=csv&field=budget:range:..50L")
    header, *data = list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))
    assert header[-4:] == ["budget", "amenities", "loan", "remark"] and len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert (row["Name"], row["budget"], row["amenities"], row["loan"]) == (
        "Ravi",
        "4500000",
        "Gym, Pool",
        "yes",
    )
    assert row["remark"] == "'=HYPERLINK(1)"  # the one writer made it safe
    sheet = load_workbook(io.BytesIO(content(client.get("/api/v1/leads/export?format=xlsx")))).active
    rows = list(sheet.iter_rows(values_only=True))
    budget = rows[0].index("budget")
    assert sorted(r[budget] for r in rows[1:]) == [4500000, 9000000]  # numbers stay numbers
