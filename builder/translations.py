"""Translations of a course: ``content/translations/<language>/`` gives the text of the course in another language.

A translation mirrors ``course.yml`` and ``modules/`` (same file names) with text only: blocks and references are
named by their id (a block's anchor, a reference's key), lists of texts keep the source's order, and everything
that is structure (types, ids, order, durations, media, addresses) comes from the source files. Here a
translation is checked against its source (unknown ids and fields, structure given, unsafe Markdown: errors at
their line), laid over the source's models to make the translated course (same anchors, so the same pages and
the same stored answers), and compared with the source text it was made from.

That comparison needs no step from the translator: beside the translation, ``.sources.yml`` keeps, for each
translated text, a hash of the source text and of the translation as they were when the builder first saw the
translation (or the translation last changed). A source text whose hash has changed since, under an unchanged
translation, is *stale*; a text the translation lacks is *missing* (the source's text is shown meanwhile).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import TypeAdapter, ValidationError

from . import i18n
from .errors import ContentError, CourseErrors, Loc, did_you_mean, display_path, format_path
from .fields import LanguageTag, Markdown, PlainText
from .loader import Document, LoadFailure, decode_source, load_text, read_source
from .model import Strict
from .resolve import ResolvedCourse, View, resolve
from .validate import MODULE_FILE, CourseSource, ModuleSource

FOLDER = "translations"
RECORD = ".sources.yml"
# Fields that are the course's structure: a translation never gives them.
STRUCTURE = frozenset(
    {"type", "id", "audience", "duration", "cite", "grouping", "kind", "src", "youtube", "vimeo", "start", "end", "captions", "url", "language", "modules", "key"}
)
# ...except where a name means text: the course's `audience` is who it is for, a block's is a view.
TEXT_FIELDS = frozenset({("Course", "audience")})


def is_structure(cls: type, name: str) -> bool:
    return name in STRUCTURE and (cls.__name__, name) not in TEXT_FIELDS


# Text fields shown as written (the rest are Markdown).
PLAIN = frozenset({"title", "subtitle", "label", "alt", "pages"})
_PLAIN = TypeAdapter(PlainText)
_MARKDOWN = TypeAdapter(Markdown)
_LANGUAGE = TypeAdapter(LanguageTag)
_TRANSCRIPT_FILE = re.compile(r"^[^\n]+\.(md|markdown|txt)$")

Status = Literal["translated", "missing", "stale"]


@dataclass(frozen=True, order=True)
class Notice(ContentError):
    """A warning at a place in a file: the course builds, but something wants the author's attention."""

    def __str__(self) -> str:
        return ": warning: ".join(super().__str__().split(": error: ", 1))


# --- what a translation may give: the source's texts, by file and place ------------------------------------


@dataclass(frozen=True)
class Unit:
    """One text of the source, which a translation gives in its language."""

    file: str  # the translation file that gives it, relative to the language's folder: course.yml, modules/01-x.yml
    path: str  # its place there: title, blocks.think-share.prompts[1], references.smith2020.citation
    text: str  # the source text (a transcript file's content, for a transcript given as a path)
    doc: Document  # the source file
    loc: Loc  # the text's place in the source file
    plain: bool  # plain text, or Markdown

    @property
    def key(self) -> tuple[str, str]:
        return (self.file, self.path)

    def where(self) -> tuple[int, int]:
        return self.doc.locate(self.loc)


@dataclass
class Fields:
    """A mapping of the source (the course, a module, a block, a card) and the texts a translation may give in it."""

    what: str
    doc: Document
    loc: Loc
    known: frozenset[str]  # every field the model has
    structure: frozenset[str]  # those that are structure
    texts: dict[str, Unit] = field(default_factory=dict)
    lists: dict[str, list[Unit]] = field(default_factory=dict)
    records: dict[str, list[Fields]] = field(default_factory=dict)  # lists of mappings, in order (cards' items)
    keyed: dict[str, dict[str, Fields]] = field(default_factory=dict)  # mappings named by id (blocks, references)


def _nested(prefix: str, name: str | int) -> str:
    return f"{prefix}[{name}]" if isinstance(name, int) else (f"{prefix}.{name}" if prefix else name)


def _shape(obj: Strict, what: str, doc: Document, loc: Loc, file: str, path: str, transcripts: dict[str, str], anchors: list[str] | None = None) -> Fields:
    known = frozenset(type(obj).model_fields)
    node = Fields(what, doc, loc, known, frozenset(n for n in known if is_structure(type(obj), n)))
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        if name in node.structure or value is None or value == []:
            continue
        here = _nested(path, name)
        if name == "blocks" and anchors is not None:
            node.keyed[name] = {
                anchor: _shape(block, f"the `{block.type}` block `{anchor}`", doc, (*loc, name, b), file, _nested(here, anchor), transcripts)  # type: ignore[attr-defined]
                for b, (block, anchor) in enumerate(zip(value, anchors, strict=True))
            }
        elif name == "references":
            node.keyed[name] = {
                ref.key: _shape(ref, f"the reference `{ref.key}`", doc, (*loc, name, r), file, _nested(here, ref.key), transcripts)
                for r, ref in enumerate(value)
            }
        elif isinstance(value, str):
            text = transcripts.get(value.strip(), value) if name == "transcript" else value
            node.texts[name] = Unit(file, here, text, doc, (*loc, name), name in PLAIN)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            node.lists[name] = [Unit(file, _nested(here, i), v, doc, (*loc, name, i), name in PLAIN) for i, v in enumerate(value)]
        elif isinstance(value, list):
            node.records[name] = [_shape(item, f"{_nested(here, i)}", doc, (*loc, name, i), file, _nested(here, i), transcripts) for i, item in enumerate(value)]
    return node


def _units(node: Fields) -> Iterator[Unit]:
    yield from node.texts.values()
    for units in node.lists.values():
        yield from units
    for items in node.records.values():
        for item in items:
            yield from _units(item)
    for named in node.keyed.values():
        for item in named.values():
            yield from _units(item)


def module_file(module: ModuleSource) -> str:
    return f"modules/{module.doc.path.name}"


def shapes(source: CourseSource, course: ResolvedCourse) -> dict[str, Fields]:
    """What a translation may give, file by file (``course.yml``, ``modules/<name>.yml``)."""
    out = {"course.yml": _shape(source.model, "the course", source.doc, (), "course.yml", "", source.transcripts)}
    for module, resolved in zip(source.modules, course.modules, strict=True):
        name = module_file(module)
        anchors = [block.anchor for block in resolved.blocks]
        out[name] = _shape(module.model, "the module", module.doc, (), name, "", source.transcripts, anchors)
    return out


# --- reading a translation -----------------------------------------------------------------------------------


@dataclass
class Given:
    """A text as the translation gives it."""

    text: str
    doc: Document
    loc: Loc

    def where(self) -> tuple[int, int]:
        return self.doc.locate(self.loc)


@dataclass
class Translation:
    """One language's translation of a course, checked against the source."""

    language: str
    folder: Path
    shapes: dict[str, Fields]
    given: dict[tuple[str, str], Given]
    status: dict[tuple[str, str], Status] = field(default_factory=dict)

    def units(self) -> Iterator[Unit]:
        for node in self.shapes.values():
            yield from _units(node)

    def notices(self) -> list[Notice]:
        """Missing text (at the source text's place) and stale text (at the translation's)."""
        out = []
        for unit in self.units():
            state = self.status.get(unit.key, "missing")
            line, column = unit.where()
            source_at = f"{unit.doc.name}:{line}:{column}"
            target = display_path(self.folder / unit.file)
            if state == "missing":
                out.append(Notice(unit.doc.name, line, column, format_path(unit.loc), f"not translated into `{self.language}`: give `{unit.path}` in {target}"))
            elif state == "stale":
                given = self.given[unit.key]
                line, column = given.where()
                out.append(Notice(given.doc.name, line, column, unit.path, f"stale: the source text ({source_at}) changed after it was translated; update the translation"))
        return sorted(out)

    def counts(self, file: str | None = None) -> dict[Status, int]:
        counts: dict[Status, int] = {"translated": 0, "missing": 0, "stale": 0}
        for unit in self.units():
            if file is None or unit.file == file:
                counts[self.status.get(unit.key, "missing")] += 1
        return counts


def languages(root: Path) -> list[str]:
    """The languages a course is translated into: the folders of ``content/translations/``."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _read(path: Path, errors: list[ContentError]) -> Document | None:
    name = display_path(path)
    try:
        return load_text(decode_source(read_source(path, name), name), path, name)
    except LoadFailure as failure:
        errors.extend(failure.errors)
        return None


def _text(value: Any, unit: Unit, doc: Document, loc: Loc, root: Path, errors: list[ContentError]) -> str | None:
    """A translated text, checked as its source field is (plain text or safe Markdown); a transcript may be a path."""
    path = format_path(loc)
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(doc.error(loc, path, "may not be empty; leave the field out until it is translated"))
        return None
    if unit.loc[-1] == "transcript" and isinstance(value, str) and _TRANSCRIPT_FILE.match(value.strip()):
        target = (root / value.strip()).resolve()
        if not target.is_relative_to(root.resolve()):
            errors.append(doc.error(loc, path, f"`{value.strip()}` points outside the content folder"))
            return None
        if not target.is_file():
            errors.append(doc.error(loc, path, f"no file `{value.strip()}` in the content folder (paths are relative to it)"))
            return None
        try:
            value = decode_source(read_source(target, value.strip()), value.strip())
        except LoadFailure as failure:
            errors.append(doc.error(loc, path, f"{value.strip()}: {failure.errors[0].message}"))
            return None
    try:
        return str((_PLAIN if unit.plain else _MARKDOWN).validate_python(value))
    except ValidationError as exc:
        errors.append(doc.error(loc, path, exc.errors()[0]["msg"]))
        return None


def _check(node: Fields, data: Any, doc: Document, loc: Loc, root: Path, given: dict[tuple[str, str], Given], errors: list[ContentError]) -> None:
    """The translation's ``data`` at ``loc`` against the source's mapping ``node``."""
    if not isinstance(data, dict):
        errors.append(doc.error(loc, format_path(loc), "expected a mapping of fields (`name: value`)"))
        return
    offered = sorted({*node.texts, *node.lists, *node.records, *node.keyed})
    source_line = node.doc.locate(node.loc)[0]
    for key, value in data.items():
        name = str(key)
        here: Loc = (*loc, name)
        path = format_path(here)
        if name.startswith("x-"):
            continue
        if name in node.texts:
            unit = node.texts[name]
            text = _text(value, unit, doc, here, root, errors)
            if text is not None:
                given[unit.key] = Given(text, doc, here)
        elif name in node.lists:
            units = node.lists[name]
            if not isinstance(value, list):
                errors.append(doc.error(here, path, "expected a list (lines starting with `- `), as in the source"))
                continue
            if len(value) > len(units):
                errors.append(doc.error(here, path, f"{len(value)} items, but the source has {len(units)} ({node.doc.name}:{node.doc.locate((*node.loc, name))[0]})"))
            for i, (item, unit) in enumerate(zip(value, units, strict=False)):
                text = _text(item, unit, doc, (*here, i), root, errors)
                if text is not None:
                    given[unit.key] = Given(text, doc, (*here, i))
        elif name in node.records:
            items = node.records[name]
            if not isinstance(value, list):
                errors.append(doc.error(here, path, "expected a list (lines starting with `- `), as in the source"))
                continue
            if len(value) > len(items):
                errors.append(doc.error(here, path, f"{len(value)} items, but the source has {len(items)} ({node.doc.name}:{node.doc.locate((*node.loc, name))[0]})"))
            for i, (item, shape) in enumerate(zip(value, items, strict=False)):
                _check(shape, item, doc, (*here, i), root, given, errors)
        elif name in node.keyed:
            named = node.keyed[name]
            noun = "block" if name == "blocks" else "reference"
            if not isinstance(value, dict):
                errors.append(doc.error(here, path, f"expected the {noun}s by their {'id' if noun == 'block' else 'key'}, not a list: `{next(iter(named))}:` and its texts under it"))
                continue
            for ident, item in value.items():
                if str(ident) not in named:
                    hint = did_you_mean(str(ident), named) or f"; the source's are {', '.join(f'`{n}`' for n in named)}"
                    errors.append(doc.error((*here, str(ident)), format_path((*here, str(ident))), f"no {noun} `{ident}` in the source{hint}"))
                    continue
                _check(named[str(ident)], item, doc, (*here, str(ident)), root, given, errors)
        elif name in node.structure:
            errors.append(doc.error(here, path, f"`{name}` is structure, not text: it comes from the source ({node.doc.name}); remove it from the translation"))
        elif name in node.known:
            errors.append(doc.error(here, path, f"the source has no `{name}` in {node.what} ({node.doc.name}:{source_line}); a translation gives text only where the source has some"))
        else:
            hint = did_you_mean(name, offered) or (f"; texts to translate here: {', '.join(f'`{o}`' for o in offered)}" if offered else "")
            errors.append(doc.error(here, path, f"unknown field `{name}`{hint}"))


def _folder_errors(source: CourseSource, folder: Path, language: str) -> list[ContentError]:
    name = display_path(folder)
    try:
        _LANGUAGE.validate_python(language)
    except ValidationError as exc:
        return [ContentError(name, 1, 1, "", f"the folder's name is the translation's language: {exc.errors()[0]['msg']}")]
    if language.lower() == source.model.language.lower():
        return [ContentError(name, 1, 1, "", f"`{language}` is the course's own language (course.yml's `language`); a translation is into another one")]
    if language in {m.id for m in source.modules}:
        return [ContentError(name, 1, 1, "", f"the language `{language}` is also a module's id; its pages and the translation would share /{language}/")]
    return []


def read(source: CourseSource, course: ResolvedCourse, language: str) -> tuple[Translation, list[ContentError]]:
    """One translation, checked against the source; its status is not known yet (see :func:`compare`)."""
    folder = source.root / FOLDER / language
    errors = _folder_errors(source, folder, language)
    translation = Translation(language, folder, shapes(source, course), {})
    if errors:
        return translation, errors
    files = [folder / "course.yml"] if (folder / "course.yml").is_file() else []
    files += sorted((folder / "modules").glob("*.yml")) if (folder / "modules").is_dir() else []
    for other in sorted(folder.glob("*.y*ml")):
        if other.name != "course.yml" and not other.name.startswith("."):
            errors.append(ContentError(display_path(other), 1, 1, "", "a translation has course.yml and modules/ only"))
    for path in files:
        file = path.relative_to(folder).as_posix()
        shape = translation.shapes.get(file)
        if shape is None:
            match = MODULE_FILE.match(path.name)
            by_id = {MODULE_FILE.match(Path(f).name).group(2): f for f in translation.shapes if f.startswith("modules/")}  # type: ignore[union-attr]
            hint = f"; the source's file for `{match.group(2)}` is {by_id[match.group(2)]}" if match and match.group(2) in by_id else did_you_mean(file, translation.shapes)
            errors.append(ContentError(display_path(path), 1, 1, "", f"no module file {file} in the course: a translation's file has its source's name{hint}"))
            continue
        doc = _read(path, errors)
        if doc is not None and doc.data is not None:
            _check(shape, doc.data, doc, (), source.root, translation.given, errors)
    return translation, errors


# --- what each text was translated from --------------------------------------------------------------------


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


RECORD_HEADER = (
    "# Written by the course builder (course check, course build, course translations): for each translated text, a\n"
    "# hash of the source text it was translated from and of the translation. A source text that changes afterwards\n"
    "# is reported as stale until its translation is updated. Commit this file with the translation; never edit it.\n"
)


def _load_record(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        data = None  # unreadable: every translated text is recorded afresh
    out: dict[tuple[str, str], tuple[str, str]] = {}
    if isinstance(data, dict):
        for file, entries in data.items():
            if isinstance(entries, dict):
                for place, pair in entries.items():
                    if isinstance(pair, list) and len(pair) == 2:
                        out[(str(file), str(place))] = (str(pair[0]), str(pair[1]))
    return out


def _dump_record(record: dict[tuple[str, str], tuple[str, str]]) -> str:
    lines = [RECORD_HEADER.rstrip("\n")]
    current = None
    for (file, place), (source_hash, text_hash) in sorted(record.items()):
        if file != current:
            lines.append(f"{yaml.safe_dump(file).splitlines()[0]}:")
            current = file
        key = yaml.safe_dump(place, width=1 << 16).splitlines()[0]
        lines.append(f"  {key}: [{source_hash}, {text_hash}]")
    return "\n".join(lines) + "\n"


def compare(translation: Translation, record: bool) -> bool:
    """Each text's status against ``.sources.yml``, which is brought up to date (and written when ``record``):
    a text seen for the first time, or changed since, is recorded as translated from today's source. True when
    the file was written."""
    path = translation.folder / RECORD
    before = _load_record(path)
    after: dict[tuple[str, str], tuple[str, str]] = {}
    for unit in translation.units():
        given = translation.given.get(unit.key)
        if given is None:
            translation.status[unit.key] = "missing"
            continue
        now = (_hash(unit.text), _hash(given.text))
        was = before.get(unit.key)
        if was is not None and was[0] != now[0] and was[1] == now[1]:
            translation.status[unit.key] = "stale"  # the source moved on; the translation did not
            after[unit.key] = was
        else:
            translation.status[unit.key] = "translated"
            after[unit.key] = now
    if not record or after == before or (not after and not path.exists()):
        return False
    staging = path.with_name(f"{RECORD}.{os.getpid()}.tmp")
    staging.write_text(_dump_record(after), encoding="utf-8")
    os.replace(staging, path)
    return True


# --- the course in every language ----------------------------------------------------------------------------


def load(source: CourseSource, course: ResolvedCourse, language: str, record: bool = False) -> Translation:
    """One translation, checked and compared with the source; :class:`CourseErrors` when it is not valid."""
    translation, errors = read(source, course, language)
    if errors:
        raise CourseErrors(errors)
    compare(translation, record)
    return translation


def load_all(source: CourseSource, course: ResolvedCourse, record: bool = False) -> dict[str, Translation]:
    """Every translation of the course; the errors of all of them together."""
    out: dict[str, Translation] = {}
    errors: list[ContentError] = []
    for language in languages(source.root):
        translation, found = read(source, course, language)
        errors.extend(found)
        out[language] = translation
    if errors:
        raise CourseErrors(errors)
    for translation in out.values():
        compare(translation, record)
    return out


def notices(source: CourseSource, translations: dict[str, Translation]) -> list[Notice]:
    """Warnings about languages: one without a catalogue for the interface, text missing or stale."""
    out = []
    for language, where in [(source.model.language, None), *((t.language, t.folder) for t in translations.values())]:
        if i18n.has_catalogue(language):
            continue
        spoken = ", ".join(i18n.languages())
        message = f"the interface has no catalogue for `{language}`: its words stay in English (catalogues: {spoken})"
        if where is None:
            line, column = source.doc.locate(("language",))
            out.append(Notice(source.doc.name, line, column, "language", message))
        else:
            out.append(Notice(display_path(where), 1, 1, "", message))
    for translation in translations.values():
        out.extend(translation.notices())
    return out


def _apply(obj: Strict, node: Fields, given: dict[tuple[str, str], Given]) -> Any:
    update: dict[str, Any] = {}
    for name, unit in node.texts.items():
        if unit.key in given:
            update[name] = given[unit.key].text
    for name, units in node.lists.items():
        values = list(getattr(obj, name))
        for i, unit in enumerate(units):
            if unit.key in given:
                values[i] = given[unit.key].text
        update[name] = values
    for name, items in node.records.items():
        update[name] = [_apply(item, shape, given) for item, shape in zip(getattr(obj, name), items, strict=True)]
    for name, named in node.keyed.items():
        update[name] = [_apply(item, shape, given) for item, shape in zip(getattr(obj, name), named.values(), strict=True)]
    return obj.model_copy(update=update) if update else obj


def translated_course(source: CourseSource, course: ResolvedCourse, translation: Translation) -> ResolvedCourse:
    """The course in ``translation``'s language: its texts over the source's structure (missing texts stay as the
    source has them), resolved with the same anchors and the same journal slug as the source."""
    model = _apply(source.model, translation.shapes["course.yml"], translation.given).model_copy(update={"language": translation.language})
    modules = [
        ModuleSource(module.id, module.doc, _apply(module.model, translation.shapes[module_file(module)], translation.given))
        for module in source.modules
    ]
    translated = resolve(CourseSource(source.root, source.doc, model, modules, source.transcripts))
    for module, original in zip(translated.modules, course.modules, strict=True):
        for block, anchor in zip(module.blocks, original.blocks, strict=True):
            block.anchor = anchor.anchor  # answers are stored by anchor: the same in every language
    translated.__dict__["slug"] = course.slug  # the journal's key: one journal and one progress in every language
    return translated


def alternates(source_language: str, found: list[str], current: str | None, view: View) -> list[dict[str, Any]]:
    """Material's ``extra.alternate`` for a site of the course: every language, each linked by the path from this
    site's root to that language's root in the same view (the plugin adds the page's own path)."""
    view_prefix = "trainer/" if view == "trainer" else ""
    here = (f"{current}/" if current else "") + view_prefix
    up = "../" * here.count("/")
    out = []
    for language in [None, *found]:
        tag = language or source_language
        out.append({"name": html.escape(i18n.language_name(tag)), "lang": html.escape(tag), "link": up + (f"{language}/" if language else "") + view_prefix, "current": language == current})
    return out


def alternate_of(alt: dict[str, Any], page_url: str, site_url: str | None) -> dict[str, Any]:
    """A language of the selector on one page: ``href``, the same page in that language relative to this page (for
    the selector, theme/overrides/partials/alternate.html); ``link``, its full address from ``site_url`` (for
    Material's ``<link rel="alternate">``, whose ``url`` filter cannot climb above the site's root)."""
    href = "../" * page_url.count("/") + alt["link"] + page_url or "./"
    link = urllib.parse.urljoin(site_url + page_url, href) if site_url else href
    return {**alt, "href": href, "link": link}


def status_table(source: CourseSource, translations: dict[str, Translation]) -> str:
    """Per language, a table of its files: how many texts are translated, missing and stale."""
    if not translations:
        return f"{display_path(source.root)}: no translations (add content/{FOLDER}/<language>/)"
    blocks = []
    for language, translation in translations.items():
        files = ["course.yml", *(module_file(m) for m in source.modules)]
        rows = [(file, translation.counts(file)) for file in files]
        total = translation.counts()
        rows.append(("total", total))
        units = sum(total.values())
        done = 100 * total["translated"] // units if units else 100
        head = f"{language} ({i18n.language_name(language)}): {done}% translated, in {display_path(translation.folder)}/"
        width = max(len(file) for file, _ in rows)
        lines = [head, f"  {'file'.ljust(width)}  translated  missing  stale"]
        for file, counts in rows:
            lines.append(f"  {file.ljust(width)}  {counts['translated']:>10}  {counts['missing']:>7}  {counts['stale']:>5}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)

__all__ = ["FOLDER", "RECORD", "Notice", "Translation", "alternates", "languages", "load", "load_all", "notices", "status_table", "translated_course"]
