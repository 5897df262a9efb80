"""The zip of an access export: person.json with everything, and one CSV per kind."""

import io
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable

from django.utils import timezone

from leadtracker.lib import spreadsheet
from leadtracker.privacy.export.exporters import EXPORTERS, NOT_EXPORTED
from leadtracker.privacy.export.values import Subject, value


def cell(v):
    """A CSV cell: JSON for structures, yes/no for flags. lib/spreadsheet.py's writer makes
    text a spreadsheet would run as a formula (=HYPERLINK(…)) inert, and leaves the numbers we
    normalised ourselves (+91…) as they are."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return v


def _write_kind(zf, kind: str, rows: Iterable[dict], json_part) -> int:
    """One kind (at least one row): its CSV into the zip, its rows as JSON into ``json_part``
    (a temporary file, joined into person.json at the end so the document is never held in
    memory whole)."""
    n = 0
    columns = None
    with zf.open(f"{kind}.csv", "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = spreadsheet.CsvWriter(text, bom=True)
        for row in rows:
            if columns is None:
                columns = list(row)
                writer.writerow(columns)
            elif len(row) != len(columns) or any(c not in row for c in columns):
                # One header per CSV: an exporter whose rows differ would lose columns silently.
                raise ValueError(f"{kind}: a row's fields differ from the first row's")
            writer.writerow([cell(row.get(c)) for c in columns])
            json_part.write(
                (",\n    " if n else "\n    ") + json.dumps(row, ensure_ascii=False, sort_keys=False)
            )
            n += 1
        text.flush()
        text.detach()
    return n


def build_zip(subject: Subject, out, *, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Write the export of ``subject`` as a zip to the binary file ``out``; return the counts
    per kind. ``progress`` is called with 0–99 as the exporters finish."""
    generated_at = timezone.now()
    counts: dict[str, int] = {}
    parts: dict[str, tempfile.SpooledTemporaryFile] = {}
    exporters = list(EXPORTERS.values())
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i, exporter in enumerate(exporters):
            part = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+", encoding="utf-8")
            counts[exporter.kind] = counts.get(exporter.kind, 0) + _write_csv_if_any(
                zf, exporter.kind, exporter.rows(subject), part
            )
            parts[exporter.kind] = part
            if progress is not None:
                progress(int((i + 1) * 95 / len(exporters)))
        header = {
            "organisation": {"name": subject.org.name, "slug": subject.org.slug},
            "generated_at": value(generated_at, subject.tz),
            "time_zone": subject.org.time_zone,
            "subject": {"kind": subject.kind, "id": (subject.lead or subject.member).pk},
            "counts": counts,
            "files": ["person.json"] + [f"{k}.csv" for k, n in counts.items() if n],
            "how_to_read": (
                "Everything this organisation holds about the person, as of generated_at. "
                "person.json holds it all; each CSV holds one kind (UTF-8). Times carry their "
                "offset; ids refer to other rows of this export or to the organisation's records."
            ),
            "not_exported": NOT_EXPORTED,
        }
        with zf.open("person.json", "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8")
            text.write('{\n  "about": ')
            text.write(json.dumps(header, ensure_ascii=False, indent=2).replace("\n", "\n  "))
            text.write(',\n  "data": {')
            for n, (kind, part) in enumerate(parts.items()):
                text.write(("," if n else "") + f"\n  {json.dumps(kind)}: [")
                part.seek(0)
                while chunk := part.read(64 * 1024):
                    text.write(chunk)
                text.write("\n  ]" if counts[kind] else "]")
                part.close()
            text.write("\n  }\n}\n")
            text.flush()
            text.detach()
    return counts


def _write_csv_if_any(zf, kind, rows, json_part) -> int:
    """Rows into ``json_part``; the CSV is written only when the kind has rows (an empty CSV
    would say nothing person.json does not)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0

    def again():
        yield first
        yield from rows

    return _write_kind(zf, kind, again(), json_part)
