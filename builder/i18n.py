"""The interface's words in the course language: the gettext catalogues under ``builder/locale/``.

One catalogue a language, ``builder/locale/<lang>/LC_MESSAGES/course.po``, holds every word the site adds: the
templates' ``_()`` (course templates and ``main.html``), the builder's own (:mod:`builder.messages`) and the
scripts' (``course.text`` in ``core.js``). Its msgids are the English words as the sources write them, gathered by
Babel with ``babel.cfg`` (:func:`extract`); the ``.po`` files are compiled in memory when a build asks for them,
so no ``.mo`` file is committed. English needs no catalogue: it is the msgids themselves. A language without a
catalogue speaks English (:func:`translations` gives ``None``).

``python -m builder.i18n check`` says, msgid by msgid, what a catalogue lacks or keeps that the sources no longer
have; ``python -m builder.i18n update`` adds the sources' new msgids to every catalogue, untranslated.
"""

from __future__ import annotations

import functools
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

from .messages import N_

PACKAGE = Path(__file__).resolve().parent
REPO = PACKAGE.parent
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "course"
BABEL_CFG = REPO / "babel.cfg"
CORE_JS = REPO / "theme" / "overrides" / "assets" / "javascripts" / "core.js"
SOURCE_LANGUAGE = "en"  # the msgids' language

# Words of mkdocs.yml the interface shows (the palette toggle's names): translated where the catalogue has them.
CONFIG_WORDS = (N_("Switch to dark mode"), N_("Switch to light mode"))

# Gettext's plural index does not name CLDR's plural categories, which the scripts choose by
# (Intl.PluralRules): each category a language has is given the form of a number that falls in it.
_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def _tag(language: str) -> str:
    return language.replace("_", "-")


def locale(language: str) -> Locale | None:
    """Babel's locale for a BCP 47 tag, or ``None`` when Babel does not know it."""
    try:
        return Locale.parse(_tag(language), sep="-")
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(_tag(language).split("-")[0])
        except (UnknownLocaleError, ValueError):
            return None


def direction(language: str) -> str:
    """``rtl`` for a language written right to left (Arabic, Hebrew, Persian, Urdu...), else ``ltr``."""
    found = locale(language)
    return "rtl" if found is not None and found.character_order == "right-to-left" else "ltr"


def language_name(language: str) -> str:
    """A language's name in itself, as a language switcher shows it (``Français``, ``Español``)."""
    found = locale(language)
    name = found.get_display_name(found) if found is not None else None
    return (name[:1].upper() + name[1:]) if name else language


def catalogue_path(language: str) -> Path | None:
    """The ``.po`` file that serves ``language``: its own (``fr_CA``), else its primary language's (``fr``)."""
    parts = _tag(language).split("-")
    for candidate in ("_".join([parts[0].lower(), *parts[1:]]), parts[0].lower()):
        path = LOCALE_DIR / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def has_catalogue(language: str) -> bool:
    return _tag(language).split("-")[0].lower() == SOURCE_LANGUAGE or catalogue_path(language) is not None


def languages() -> list[str]:
    """The languages the interface speaks: English and every catalogue's."""
    return sorted({SOURCE_LANGUAGE, *(p.parent.parent.name.replace("_", "-") for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))})


@functools.cache
def _compiled(path: Path, stamp: int) -> Translations:
    with path.open("rb") as po:
        catalog = read_po(po, locale=path.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def translations(language: str) -> Translations | None:
    """The interface's catalogue for ``language`` (``None``: English, the msgids as written)."""
    if _tag(language).split("-")[0].lower() == SOURCE_LANGUAGE:
        return None
    path = catalogue_path(language)
    return _compiled(path, path.stat().st_mtime_ns) if path is not None else None


# --- the scripts' words ------------------------------------------------------------------------------

_TABLE = re.compile(r"^  course\.text = (\{.*?^  \});$", re.MULTILINE | re.DOTALL)
_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)
_JOIN = re.compile(r'"\s*\+\s*"')
_KEY = re.compile(r"([{,]\s*)([A-Za-z_]\w*)\s*:")


@functools.cache
def _script_table(path: Path, stamp: int) -> tuple[dict[str, Any], dict[str, int]]:
    source = path.read_text(encoding="utf-8")
    match = _TABLE.search(source)
    if match is None:
        raise ValueError(f"{path.name}: no `course.text = {{...}};` table")
    literal = _KEY.sub(r'\1"\2":', _JOIN.sub("", _COMMENT.sub("", match.group(1))))
    table: dict[str, Any] = json.loads(literal)
    first = source.count("\n", 0, match.start(1)) + 1
    lines: dict[str, int] = {}
    for number, line in enumerate(match.group(1).splitlines(), start=first):
        key = re.match(r"\s*([A-Za-z_]\w*)\s*:", line)
        if key and key.group(1) in table and key.group(1) not in lines:
            lines[key.group(1)] = number
    return table, lines


def script_words(path: Path = CORE_JS) -> dict[str, Any]:
    """``course.text`` of ``core.js`` as data: key -> English text, or ``{"one": ..., "other": ...}``.

    The table is a plain object literal of double-quoted strings (joined with ``+`` where long) and of
    ``{one, other}`` objects for words that follow a count: what the extractor and the builder read."""
    return _script_table(path, path.stat().st_mtime_ns)[0]


def script_text(language: str, path: Path = CORE_JS) -> dict[str, Any]:
    """``course.text`` in ``language``: every key whose words the catalogue translates (empty for English)."""
    catalogue = translations(language)
    if catalogue is None:
        return {}
    found = locale(language)
    out: dict[str, Any] = {}
    for key, english in script_words(path).items():
        if isinstance(english, str):
            out[key] = catalogue.gettext(english)
            continue
        forms: dict[str, str] = {}
        for n in range(0, 1000):
            category = found.plural_form(n) if found is not None else ("one" if n == 1 else "other")
            if category not in forms:
                forms[category] = catalogue.ngettext(english["one"], english["other"], n)
        forms.setdefault("other", catalogue.ngettext(english["one"], english["other"], 1000000))
        out[key] = {c: forms[c] for c in _CATEGORIES if c in forms}
    return out


def extract_script_text(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extraction method for ``course.text`` in ``core.js`` (``babel.cfg`` names it ``course_text``)."""
    path = Path(fileobj.name)
    table, lines = _script_table(path, path.stat().st_mtime_ns)
    for key, english in table.items():
        if isinstance(english, str):
            yield lines.get(key, 0), "gettext", english, [f"course.text.{key}"]
        else:
            yield lines.get(key, 0), "ngettext", (english["one"], english["other"]), [f"course.text.{key}"]


# --- extraction and the catalogues' check ---------------------------------------------------------------


def extract() -> Catalog:
    """Every msgid of the sources (templates, builder, scripts), as ``babel.cfg`` finds them."""
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, BABEL_CFG.name)
    catalog = Catalog(project="course-builder", domain=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(REPO), method_map, options_map, comment_tags=("course.text",), strip_comment_tags=False
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _msgid(message: Any) -> str:
    return message if isinstance(message, str) else message[0]


def problems(template: Catalog | None = None) -> list[str]:
    """What each catalogue lacks (a msgid of the sources, missing, untranslated or fuzzy) or keeps that no source
    has any more, one line each; nothing when every catalogue is complete and up to date."""
    template = template if template is not None else extract()
    wanted = {_msgid(m.id): m for m in template if m.id}
    out: list[str] = []
    for path in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        name = path.relative_to(REPO).as_posix()
        with path.open("rb") as po:
            catalog = read_po(po)
        have = {_msgid(m.id): m for m in catalog if m.id}
        for msgid, message in wanted.items():
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            entry = have.get(msgid)
            strings = [] if entry is None else ([entry.string] if isinstance(entry.string, str) else list(entry.string or ()))
            if entry is None:
                out.append(f"{name}: missing msgid {json.dumps(msgid, ensure_ascii=False)} ({where})")
            elif not all(strings) or entry.fuzzy:
                out.append(f"{name}: untranslated msgid {json.dumps(msgid, ensure_ascii=False)} ({where})")
        for msgid in sorted(set(have) - set(wanted)):
            out.append(f"{name}: obsolete msgid {json.dumps(msgid, ensure_ascii=False)}: no source has it; run `python -m builder.i18n update`")
    return out


def update(template: Catalog | None = None) -> list[Path]:
    """Bring every catalogue in line with the sources: new msgids added untranslated, gone ones dropped."""
    template = template if template is not None else extract()
    written = []
    for path in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with path.open("rb") as po:
            catalog = read_po(po)
        template.creation_date = catalog.creation_date  # the header changes only when the msgids do
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=120, sort_output=False, omit_header=False, ignore_obsolete=True, include_lineno=False)
        if buffer.getvalue() != path.read_bytes():
            path.write_bytes(buffer.getvalue())
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    command = (argv if argv is not None else sys.argv[1:]) or ["check"]
    if command[0] == "update":
        for path in update():
            print(f"updated {path.relative_to(REPO).as_posix()}")
        return 0
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(f"{len(found)} catalogue problem(s); translate them in the .po files (`python -m builder.i18n update` adds new msgids)", file=sys.stderr)
        return 1
    print(f"catalogues complete: {', '.join(languages())}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
