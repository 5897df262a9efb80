"""Translation catalogues: what the code marks for translation, the .po files that translate it,
and the .mo files Django reads.

Strings are found with Babel (pinned in requirements.txt) rather than Django's makemessages, so
no system gettext (xgettext, msgfmt) is needed: a template goes through Django's own
``templatize`` (what makemessages feeds to xgettext) and then Babel's Python extractor.

    python -m leadtracker.lib.catalogues compile
        writes every leadtracker/**/locale/<lang>/LC_MESSAGES/django.mo from its .po (make install)
    python -m leadtracker.lib.catalogues update <locale dir> <source file or folder>…
        makes <locale dir>/hi/LC_MESSAGES/django.po hold exactly the strings the sources mark:
        new ones arrive with an empty msgstr to fill in, those the code dropped are removed
"""

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE = "hi"
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
SKIPPED_FOLDERS = {"tests", "migrations", "locale", "__pycache__"}


@dataclass(frozen=True)
class Found:
    """One marked string: its msgid (a tuple of singular and plural for ngettext) and context."""

    msgid: str | tuple[str, ...]
    context: str | None

    @property
    def key(self):
        return (self.context, self.msgid[0] if isinstance(self.msgid, tuple) else self.msgid)


def source_files(paths) -> list[Path]:
    files = []
    for path in map(Path, paths):
        path = path if path.is_absolute() else ROOT / path
        if path.is_file():
            files.append(path)
            continue
        for file in sorted(path.rglob("*")):
            skipped = SKIPPED_FOLDERS & set(file.relative_to(path).parts[:-1])
            if file.is_file() and file.suffix in {".py", ".html", ".txt"} and not skipped:
                files.append(file)
    return files


def _python_source(file: Path) -> bytes:
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".py":
        return text.encode()
    # Deferred: django.utils.translation.template needs settings, which `compile` does without.
    from django.utils.translation.template import templatize

    # templatize keeps the template's indentation, which Python's tokenizer would refuse; its
    # gettext calls hold their strings as one-line reprs, so dropping it loses nothing.
    lines = templatize(text, origin=str(file)).splitlines()
    return "\n".join(line.lstrip() for line in lines).encode()


def extract_from(paths) -> dict[tuple, tuple[Found, list[str]]]:
    """Every string the files under ``paths`` mark, by (context, msgid), with where it is."""
    found: dict[tuple, tuple[Found, list[str]]] = {}
    for file in source_files(paths):
        where = str(file.relative_to(ROOT))
        source = io.BytesIO(_python_source(file))
        for lineno, message, _comments, context in extract("python", source, keywords=KEYWORDS):
            item = Found(message, context)
            found.setdefault(item.key, (item, []))[1].append(f"{where}:{lineno}")
    return found


def po_path(locale_dir) -> Path:
    locale_dir = Path(locale_dir)
    locale_dir = locale_dir if locale_dir.is_absolute() else ROOT / locale_dir
    return locale_dir / LANGUAGE / "LC_MESSAGES" / "django.po"


def read_catalogue(path: Path) -> Catalog:
    if not path.exists():
        return Catalog(locale=LANGUAGE, domain="django")
    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE, domain="django")


def is_translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(s and s.strip() for s in strings)


def update(locale_dir, paths) -> Path:
    path = po_path(locale_dir)
    old = read_catalogue(path)
    new = Catalog(locale=LANGUAGE, domain="django", project="LeadTracker", fuzzy=False)
    for key, (item, places) in sorted(extract_from(paths).items(), key=lambda kv: kv[1][1][0]):
        before = old.get(key[1], context=key[0])
        string = before.string if before is not None and not before.fuzzy else ""
        if isinstance(item.msgid, tuple) and not isinstance(string, tuple):
            string = ("", "")
        locations = [(file, int(line)) for file, line in (place.rsplit(":", 1) for place in places)]
        new.add(item.msgid, string, locations=locations, context=item.context)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, new, width=100, omit_header=False, sort_output=False, include_previous=False)
    return path


def compile_all() -> list[Path]:
    """Writes each catalogue's .mo when it is missing or older than its .po."""
    written = []
    for po in sorted((ROOT / "leadtracker").rglob("locale/*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalogue = read_catalogue(po)
        with mo.open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
        written.append(mo)
    return written


def main(argv: list[str]) -> int:
    if argv[:1] == ["compile"]:
        for mo in compile_all():
            print(f"compiled {mo.relative_to(ROOT)}")
        return 0
    if argv[:1] == ["update"] and len(argv) >= 3:
        # Deferred: templatize reads settings; `compile` must run before Django is set up.
        import django

        django.setup()
        print(f"updated {update(argv[1], argv[2:]).relative_to(ROOT)}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadtracker.settings")
    sys.exit(main(sys.argv[1:]))
