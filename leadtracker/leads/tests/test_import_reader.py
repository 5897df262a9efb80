"""The spreadsheet reader (leads/imports/reader.py) on the shapes people bring: a quote left open never
swallows the rows after it, every row carries the line a person sees, a title above the header
and a header of two merged rows are understood, in every encoding and delimiter."""

import pytest
from openpyxl import Workbook

from leadtracker.leads.imports.reader import (
    BrokenLine,
    UnreadableFile,
    guess_mapping,
    open_csv,
    open_table,
)

MAX_RECORD_LINES = 20  # the longest a quoted cell may run; reader.MAX_RECORD_LINES


def write(tmp_path, text, name="sheet.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def read(path):
    """[(row number, cells or BrokenLine)] and the table, read to the end."""
    table = open_table(path)
    try:
        items = [(table.row_number(), cells) for cells in table.rows]
    finally:
        table.close()
    return table, items


def broken(items):
    return [(number, cells.message) for number, cells in items if isinstance(cells, BrokenLine)]


def good(items):
    return [(number, cells) for number, cells in items if not isinstance(cells, BrokenLine)]


# --- a quote left open ----------------------------------------------------------------------


def test_a_stray_quote_never_swallows_the_rows_after_it(tmp_path):
    # 2,000 physical lines: the header and 1,999 rows, two of them opening a quote they never
    # close. Python's csv alone reads line 400 on to line 1500 as one cell.
    lines = ["Name,Phone,City"]
    for number in range(2, 2001):
        row = f"Lead {number},98{number:08d},Pune"
        lines.append('"' + row if number in (400, 1500) else row)
    table, items = read(write(tmp_path, "\n".join(lines) + "\n"))
    assert len(items) == 1999  # one item for each non-blank physical data line
    assert broken(items) == [
        (400, f"unclosed quote (the row runs across more than {MAX_RECORD_LINES} lines)"),
        (1500, f"unclosed quote (the row runs across more than {MAX_RECORD_LINES} lines)"),
    ]
    rows = good(items)
    assert len(rows) == 1997
    # Every other row comes through whole, numbered with its own line.
    assert all(cells == [f"Lead {n}", f"98{n:08d}", "Pune"] for n, cells in rows)
    assert [n for n, _ in rows] == [n for n in range(2, 2001) if n not in (400, 1500)]
    assert items[398] == (400, items[398][1]) and isinstance(items[398][1], BrokenLine)
    assert items[398][1].row == 400


@pytest.mark.parametrize(
    "bad_line",
    [
        '"Lead X,9800000099,Pune',  # at the start of the first cell
        'Lead X,"9800000099,Pune',  # of a middle cell
        'Lead X,9800000099,"Pune',  # of the last cell
    ],
)
@pytest.mark.parametrize("where", [2, 7, 30, 39, 40])  # the first row, the middle, near and at the end
def test_the_counts_add_up_to_the_lines_wherever_the_quote_is(tmp_path, bad_line, where):
    lines = ["Name,Phone,City"] + [f"Lead {n},98{n:08d},Pune" for n in range(2, 41)]
    lines[where - 1] = bad_line
    _table, items = read(write(tmp_path, "\r\n".join(lines) + "\r\n"))
    assert len(items) == 39
    assert [n for n, _ in broken(items)] == [where]
    assert [n for n, _ in good(items)] == [n for n in range(2, 41) if n != where]


def test_a_quote_opened_by_mistake_and_closed_by_another_lines_later_is_not_a_note(tmp_path):
    # csv reads lines 3 to 6 as one record of the header's width: the quote opened on line 3
    # is "closed" by the one opening line 6, which is followed by more text, as a real closing
    # quote never is. Line 6's own quote then runs to the end of the file.
    lines = ["Name,Phone,City"] + [f"Lead {n},98{n:08d},Pune" for n in range(2, 10)]
    lines[2] = '"' + lines[2]
    lines[5] = '"' + lines[5]
    _table, items = read(write(tmp_path, "\n".join(lines) + "\n"))
    assert broken(items) == [
        (3, "unclosed quote (the row runs across 4 lines)"),
        (6, "unclosed quote (the row runs across 4 lines to the end of the file)"),
    ]
    assert [n for n, _ in good(items)] == [2, 4, 5, 7, 8, 9]


def test_a_quote_closed_lines_later_with_another_cell_count_is_not_a_note(tmp_path):
    text = (
        "Name,Phone,City,Notes\n"
        "Asha,9876500001,Pune,fine\n"
        'Ravi,"9876500002,Goa,call\n'  # opens a quote …
        "Meera,9876500003,Delhi,ok\n"
        'Sita,9876500004,Agra,wants 5" screen\n'  # … that a quote for inches closes
        "Gita,9876500005,Pune,\n"
    )
    _table, items = read(write(tmp_path, text))
    assert broken(items) == [(3, "unclosed quote (the row runs across 3 lines and has 2 cells, not 4)")]
    assert [cells[0] for _, cells in good(items)] == ["Asha", "Meera", "Sita", "Gita"]
    assert [n for n, _ in items] == [2, 3, 4, 5, 6]


def test_a_record_past_the_size_limit_is_broken_even_within_the_line_limit(tmp_path):
    long_line = "Lead {n},98000000{n:02d}," + "x" * 40_000
    lines = ["Name,Phone,Notes"] + [long_line.format(n=n) for n in range(2, 6)]
    lines[1] = '"' + lines[1]
    _table, items = read(write(tmp_path, "\n".join(lines) + "\n"))
    assert broken(items) == [(2, "unclosed quote (the row runs across 2 lines and more than 64 KB)")]
    assert [n for n, _ in good(items)] == [3, 4, 5]


def test_an_enormous_line_is_its_own_broken_row(tmp_path):
    text = 'Name,Mobile\nAsha,9876500001\nGiant,"' + "x" * (2 * 1024 * 1024) + '"\nRavi,9876500002\n'
    _table, items = read(write(tmp_path, text))
    assert broken(items) == [(3, "unreadable line: field larger than field limit (1048576)")]
    assert good(items) == [(2, ["Asha", "9876500001"]), (4, ["Ravi", "9876500002"])]


def test_too_many_broken_lines_in_a_row_stop_the_file(tmp_path):
    text = "Name,Phone\n" + "".join(f'"Lead {n},98{n:08d}\n' for n in range(1100))
    table = open_csv(write(tmp_path, text))
    with pytest.raises(UnreadableFile, match="too many unreadable lines in a row"):
        list(table.rows)
    table.close()


# --- notes across lines ---------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_note_typed_across_lines_stays_one_row_numbered_at_its_first_line(tmp_path, newline):
    note = newline.join(["Call after 6pm", "Wants 2BHK", "", 'said "maybe" twice'])
    twenty = newline.join(f"line {i}" for i in range(MAX_RECORD_LINES))
    text = newline.join(
        [
            "Name,Phone,Notes",
            'Asha,9876500001,"' + note.replace('"', '""') + '"',
            "Ravi,9876500002,",
            '"Meera, Dr.",9876500003,"' + twenty + '"',
            "",
            "Sita,9876500004,last",
        ]
    )
    table, items = read(write(tmp_path, text + newline))
    assert broken(items) == []
    assert items == [
        (2, ["Asha", "9876500001", note]),
        (6, ["Ravi", "9876500002", ""]),
        (7, ["Meera, Dr.", "9876500003", twenty]),
        (28, ["Sita", "9876500004", "last"]),
    ]
    assert table.header_row == 1


# --- the header -----------------------------------------------------------------------------


def test_a_title_and_a_blank_line_above_the_header_are_skipped(tmp_path):
    text = (
        "Leads export – Nov 2026,,,\n"
        "Generated 01-11-2026 10:30 by Zoho CRM,,,\n"
        ",,,\n"
        "Lead Name,Mobile,Email,City\n"
        "Asha Rao,98765 00001,asha@example.in,Pune\n"
        "Ravi,98765 00002,,Goa\n"
    )
    table, items = read(write(tmp_path, text))
    assert table.headers == ["Lead Name", "Mobile", "Email", "City"]
    assert table.header_row == 4
    assert items == [
        (5, ["Asha Rao", "98765 00001", "asha@example.in", "Pune"]),
        (6, ["Ravi", "98765 00002", "", "Goa"]),
    ]


def test_a_short_semicolon_sheet_under_a_title_keeps_its_delimiter(tmp_path):
    text = "Leads export\n\nName;Mobile;City\nAsha;98765 00001;Pune\n"
    table, items = read(write(tmp_path, text))
    assert table.delimiter == ";" and table.headers == ["Name", "Mobile", "City"]
    assert items == [(4, ["Asha", "98765 00001", "Pune"])]


def test_a_row_holding_a_number_or_an_email_is_never_taken_for_the_header(tmp_path):
    # The data row names more fields ("Name", "Email", "City") than the real header maps (a
    # name and a phone), but it holds a number: the header is above it.
    text = "Client,Mob No,Type,Place\nName,98765 00001,Email,City\nRavi,98765 00002,Call,Goa\n"
    table, items = read(write(tmp_path, text))
    assert table.headers == ["Client", "Mob No", "Type", "Place"] and table.header_row == 1
    assert [n for n, _ in items] == [2, 3]


def test_a_title_naming_an_email_address_is_still_a_title(tmp_path):
    text = "Enquiries for sales@acme.example,,\n\nName,Mobile,City\nAsha,98765 00001,Pune\n"
    table, items = read(write(tmp_path, text))
    assert table.headers == ["Name", "Mobile", "City"] and items == [(4, ["Asha", "98765 00001", "Pune"])]


def test_a_sheet_without_a_recognisable_header_keeps_its_first_row_as_the_header(tmp_path):
    text = "नाम,मोबाइल\nAsha,98765 00001\n"
    table, items = read(write(tmp_path, text))
    assert table.headers == ["नाम", "मोबाइल"] and items == [(2, ["Asha", "98765 00001"])]


def test_a_two_row_header_in_a_csv_names_each_column(tmp_path):
    text = "Name,Contact,\n,Phone,Email\nAsha,98765 00001,asha@example.in\n"
    table, items = read(write(tmp_path, text))
    assert table.headers == ["Name", "Phone", "Email"] and table.header_row == 2
    assert items == [(3, ["Asha", "98765 00001", "asha@example.in"])]


@pytest.mark.parametrize("text", ["", "\n\n", ",,,\r\n \r\n"])
def test_an_empty_file_is_refused(tmp_path, text):
    with pytest.raises(UnreadableFile, match="the file is empty"):
        open_table(write(tmp_path, text))


# --- XLSX -----------------------------------------------------------------------------------


def save(tmp_path, build):
    workbook = Workbook()
    build(workbook.active)
    path = tmp_path / "sheet.xlsx"
    workbook.save(path)
    return str(path)


def test_an_xlsx_header_of_two_merged_rows_under_a_merged_title(tmp_path):
    def build(ws):
        ws["A1"] = "Leads export – Nov 2026"
        ws.merge_cells("A1:E1")
        ws["A3"] = "Name"
        ws.merge_cells("A3:A4")
        ws["B3"] = "Contact"
        ws.merge_cells("B3:C3")
        ws["B4"], ws["C4"] = "Phone", "Email"
        ws["D3"] = "City"
        ws.merge_cells("D3:D4")
        ws["E4"] = "Budget"
        ws.append(["Asha Rao", 9876500001, "asha@example.in", "Pune", "45 lakh"])
        ws.append([])
        ws.append(["Ravi", 9876500002.0, None, "Goa"])

    table, items = read(save(tmp_path, build))
    assert table.headers == ["Name", "Phone", "Email", "City", "Budget"]
    assert table.header_row == 4
    assert guess_mapping(table.headers) == {
        "0": "name",
        "1": "phone",
        "2": "email",
        "3": "city",
        "4": "value",
    }
    assert items == [
        (5, ["Asha Rao", "9876500001", "asha@example.in", "Pune", "45 lakh"]),
        (7, ["Ravi", "9876500002", "", "Goa", ""]),
    ]


def test_a_title_right_above_the_header_never_names_its_unnamed_column(tmp_path):
    # The header's first column (a serial number) has no name; the title above it would map it
    # as the e-mail ("Email leads …") were it taken for the header's upper half.
    def build(ws):
        ws["A1"] = "Email leads – Nov 2026"
        ws.merge_cells("A1:D1")
        ws.append([None, "Name", "Mobile", "City"])
        ws.append([1, "Asha", 9876500001, "Pune"])

    table, items = read(save(tmp_path, build))
    assert table.headers == ["", "Name", "Mobile", "City"] and table.header_row == 2
    assert guess_mapping(table.headers) == {"1": "name", "2": "phone", "3": "city"}
    assert items == [(3, ["1", "Asha", "9876500001", "Pune"])]


def test_an_xlsx_header_cell_merged_across_columns_names_only_its_first(tmp_path):
    # "Phone" merged over B:D holds two more columns that are not phones: openpyxl gives them
    # no header, and neither does the reader (copying "Phone" would map them as numbers).
    def build(ws):
        ws.append(["Name", "Phone", None, None, "City"])
        ws.merge_cells("B1:D1")
        ws.append(["Asha", 9876500001, "Pune office", "evening", "Pune"])

    table, items = read(save(tmp_path, build))
    assert table.headers == ["Name", "Phone", "", "", "City"] and table.header_row == 1
    assert guess_mapping(table.headers) == {"0": "name", "1": "phone", "4": "city"}
    assert items == [(2, ["Asha", "9876500001", "Pune office", "evening", "Pune"])]


def test_an_xlsx_title_above_the_header_and_sheet_row_numbers(tmp_path):
    def build(ws):
        ws["B2"] = "IndiaMART enquiries"
        ws.append([])
        ws.append(["Sender Name", "Sender Mobile", "Sender Email", "Query Message"])
        ws.append(["Asha", "+91-9876500001", "", "Need 2BHK"])
        for _ in range(3):
            ws.append([])
        ws.append(["Ravi", "+91-9876500002", "ravi@example.in", ""])

    table, items = read(save(tmp_path, build))
    assert table.headers == ["Sender Name", "Sender Mobile", "Sender Email", "Query Message"]
    assert table.header_row == 4
    assert [n for n, _ in items] == [5, 9]


def test_an_empty_sheet_is_refused(tmp_path):
    with pytest.raises(UnreadableFile, match="the sheet is empty"):
        open_table(save(tmp_path, lambda ws: None))


# --- encodings and delimiters ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_every_encoding_and_delimiter_reads_the_same_rows_at_the_same_lines(tmp_path, encoding, delimiter):
    name = "José Müller" if encoding == "cp1252" else "रमेश कुमार"
    lines = [
        "Customer List",
        "",
        delimiter.join(["Customer Name", "Mobile No", "E-mail ID", "City"]),
        delimiter.join([name, "98765 43210", "ramesh@example.in", "Pune"]),
        delimiter.join(["Ravi", "91234 56789", "", "Goa"]),
    ]
    table, items = read(write(tmp_path, "\r\n".join(lines) + "\r\n", encoding=encoding))
    assert table.delimiter == delimiter and table.header_row == 3
    assert table.headers == ["Customer Name", "Mobile No", "E-mail ID", "City"]
    assert items == [
        (4, [name, "98765 43210", "ramesh@example.in", "Pune"]),
        (5, ["Ravi", "91234 56789", "", "Goa"]),
    ]


def test_a_nul_character_becomes_the_replacement_mark(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Name,Ph\x00one\nAsha\x00 Rao,9876543210\n")
    table, items = read(str(path))
    assert table.headers == ["Name", "Ph\ufffdone"]
    assert items == [(2, ["Asha\ufffd Rao", "9876543210"])]


def test_a_workbook_uploaded_under_another_name_is_still_read(tmp_path):
    """openpyxl judges a path by its ending: a workbook saved as "leads.csv", or with no ending,
    was refused ("read only from a file named .xlsx") though it is a workbook."""
    from openpyxl import Workbook

    from leadtracker.leads.imports.reader import open_table

    book = Workbook()
    book.active.append(["Name", "Mobile"])
    book.active.append(["Asha", "9876543210"])
    for name in ("leads.csv", "leads"):
        path = tmp_path / name
        book.save(path)
        table = open_table(str(path))
        try:
            assert (table.headers, list(table.rows)) == (["Name", "Mobile"], [["Asha", "9876543210"]])
        finally:
            table.close()
