"""Validate stage: load every file of a course, check it against the contract, report all errors.

Each file is parsed (:mod:`builder.loader`) and validated by its pydantic model
(:mod:`builder.model`); pydantic's errors are reworded in plain language and placed at the line
and column of the field. Then the rules that span files are checked: module ids and order,
reference keys and citations, block ids, and paths. Unchanged files are not parsed again: the
last good result per file is kept, keyed by a hash of its bytes.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import types
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import ContentError, CourseErrors, Loc, did_you_mean, display_path, format_path
from .fields import ContentPath, Markdown, describe, slugify
from .loader import Document, LoadFailure, decode_source, load_text, read_source
from .messages import N_
from .model import ACTIVITY_TYPES, BLOCK_TYPES, Course, Module, Strict, Video
from .tree import check_tree, ignored

if TYPE_CHECKING:
    from .sessions import SessionSource

MODULE_FILE = re.compile(r"^(?:(\d+)-)?(.+)\.yml$")
MODULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Ids that would collide with the site's own pages and folders.
RESERVED_IDS = frozenset(
    {"references", "journal", "agenda", "facilitator-guide", "print", "trainer", "search", "assets", "media", "worksheet", "index"}
)
# Anchors the module page gives its own parts; a block may not take them.
PAGE_ANCHORS = frozenset({"key-points"})
_PROMPT_ANCHOR = re.compile(r"-prompt-\d+$")  # the activities' prompts: `<block>-prompt-1`
DEFAULT_TITLES = {
    "think_and_share": N_("Think & Share"),
    "reflective_activity": N_("Reflective Activity"),
    "group_discussion": N_("Group Discussion"),
    "reading": N_("Further reading"),
    "knowledge_check": N_("Check your understanding"),
}


@dataclass
class ModuleSource:
    """A validated module file."""

    id: str
    doc: Document
    model: Module


@dataclass
class BlockRefs:
    """What the checks across files read from a block: its id, citations and paths (from its model, or from
    what a module with model errors holds where those fields are valid)."""

    index: int
    id: str | None
    cite: list[str]
    paths: list[tuple[str, str]]  # (field, path)
    transcript: str | None  # a video's transcript when it names a file


@dataclass
class CourseSource:
    """A whole validated course: the course file and its modules in order."""

    root: Path
    doc: Document
    model: Course
    modules: list[ModuleSource]
    transcripts: dict[str, str]  # transcript path -> its Markdown
    sessions: list[SessionSource] = dataclass_field(default_factory=list)  # content/sessions/*.yml (builder.sessions)


# --- pydantic errors in plain words -------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _model_for(annotation: Any, value: Any) -> type[Strict] | None:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType):
        models = [m for a in get_args(annotation) if (m := _model_for(a, value))]
        if len(models) > 1 and isinstance(value, dict):
            return BLOCK_TYPES.get(str(value.get("type")))
        return models[0] if models else None
    return None


def _list_item(annotation: Any) -> Any:
    annotation = _unwrap(annotation)
    options = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    for option in map(_unwrap, options):
        if get_origin(option) is list:
            return _unwrap(get_args(option)[0])
    return None


def _walk(root: type[Strict], data: Any, loc: Loc) -> tuple[type[BaseModel] | None, Any]:
    """The model class and the data found at ``loc`` (``None`` where it leaves the models)."""
    cls: type[BaseModel] | None = root
    annotation: Any = None
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None, None
        if isinstance(part, str):
            if cls is None or part not in cls.model_fields:
                return None, node
            annotation = _unwrap(cls.model_fields[part].annotation)
        else:
            annotation = _list_item(annotation)
        cls = _model_for(annotation, node) if isinstance(node, dict) else None
    return cls, node


def _strip_union_tags(loc: tuple[Any, ...]) -> Loc:
    """pydantic puts the block type in error locations (``blocks.3.video.start``); authors don't write it."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if isinstance(part, str) and part in BLOCK_TYPES and i > 0 and isinstance(loc[i - 1], int):
            continue
        out.append(part)
    return tuple(out)


NOUNS = {
    "Course": "the course", "Module": "a module", "Reference": "a reference", "Card": "a card", "CompareItem": "a compare item",
    "Question": "a question", "Choice": "a choice",
}
NOUNS.update({"Session": "a session", "Day": "a day", "PlanItem": "a plan item"})  # session files (builder.sessions)


def _other_blocks_field(parent: Any, name: str) -> str:
    """When an unknown block field belongs to other block types (`commentary` on a `text` block), which ones take it."""
    if not isinstance(parent, dict) or parent.get("type") not in BLOCK_TYPES:
        return ""
    takers = [f"`{t}`" for t, cls in BLOCK_TYPES.items() if name in cls.model_fields]
    if not takers:
        return ""
    listed = takers[0] if len(takers) == 1 else ", ".join(takers[:-1]) + " or " + takers[-1]
    return f"`{name}` is not a field of a `{parent['type']}` block; it goes on {listed} blocks"


def _plain_message(error: Any, root: type[Strict], data: Any, loc: Loc) -> tuple[Loc, str]:
    kind = error["type"]
    found = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        parent_cls, parent = _walk(root, data, loc[:-1])
        if isinstance(parent, dict) and parent_cls in BLOCK_TYPES.values():
            what = f"a `{parent.get('type')}` block"
        else:
            what = NOUNS.get(parent_cls.__name__ if parent_cls else "", "this")
        return loc, f"required field missing: {what} needs `{loc[-1]}`"
    if kind == "extra_forbidden":
        parent_cls, parent = _walk(root, data, loc[:-1])
        choices = list(parent_cls.model_fields) if parent_cls else []
        elsewhere = _other_blocks_field(parent, str(loc[-1]))
        if elsewhere and not did_you_mean(str(loc[-1]), choices):
            return loc, elsewhere
        hint = did_you_mean(str(loc[-1]), choices) or (
            f"; allowed here: {', '.join(f'`{c}`' for c in choices)} (or an `x-` field of your own)" if choices else ""
        )
        return loc, f"unknown field `{loc[-1]}`{hint}"
    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag", found))
        hint = did_you_mean(tag, BLOCK_TYPES) or f"; block types are {', '.join(f'`{t}`' for t in BLOCK_TYPES)}"
        return (*loc, "type"), f"unknown block type `{tag}`{hint}"
    if kind == "union_tag_not_found":
        return loc, f"a block needs a `type`: one of {', '.join(f'`{t}`' for t in BLOCK_TYPES)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if not loc and found is None:
            return loc, "the file is empty; it needs at least a `title`"
        return loc, f"expected a mapping of fields (`name: value`), found {describe(found)}"
    if kind == "list_type":
        return loc, f"expected a list (lines starting with `- `), found {describe(found)}"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return loc, f"needs at least {least} item{'s' if least != 1 else ''}, found {len(found) if isinstance(found, list) else 0}"
    if kind == "string_too_short":
        return loc, "may not be empty"
    if kind == "string_type":
        return loc, f"expected text, found {describe(found)}"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = did_you_mean(str(found), expected)
        return loc, f"`{found}` is not one of {', '.join(f'`{e}`' for e in expected)}{hint}"
    if "at" in ctx:  # a rule on a list that names the item at fault (a duplicate choice)
        loc = (*loc, *ctx["at"])
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return loc, message


def model_errors(doc: Document, exc: ValidationError, root: type[Strict]) -> list[ContentError]:
    raw = [(error, _strip_union_tags(error["loc"])) for error in exc.errors(include_url=False)]
    # A misspelt field shows up twice: unknown `promts` and missing `prompts`. Say it once, as the typo.
    typos = {
        (loc[:-1], close)
        for error, loc in raw
        if error["type"] == "extra_forbidden"
        for close in difflib.get_close_matches(str(loc[-1]), [str(other[-1]) for e, other in raw if e["type"] == "missing" and other[:-1] == loc[:-1]], n=1, cutoff=0.6)
    }
    errors = []
    for error, loc in raw:
        if error["type"] == "missing" and (loc[:-1], str(loc[-1])) in typos:
            continue
        loc, message = _plain_message(error, root, doc.data, loc)
        errors.append(doc.error(loc, format_path(loc), message))
    return errors


# --- files ---------------------------------------------------------------------------------


class CourseLoader:
    """Loads and validates a course directory, keeping each file's last good result by content hash."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[str, Document, BaseModel]] = {}
        self.parsed: list[str] = []  # names of the files parsed by the last load (the rest came from the cache)
        self.unsafe: list[ContentError] = []  # what the last load found in the folder that no build may read

    def _validated(
        self, path: Path, name: str, model: type[Strict], errors: list[ContentError], broken: list[Document] | None = None
    ) -> tuple[Document, Any] | None:
        """The file's document and model; on model errors, the document goes to ``broken`` for the checks that
        still apply to it."""
        try:
            raw = read_source(path, name)
        except LoadFailure as failure:
            errors.extend(failure.errors)
            return None
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        cached = self._cache.get(path)
        if cached and cached[0] == digest:
            doc, value = cached[1], cached[2]
            doc.name = name
            return doc, value
        self.parsed.append(name)
        try:
            doc = load_text(decode_source(raw, name), path, name)
        except LoadFailure as failure:
            errors.extend(failure.errors)
            return None
        try:
            value = model.model_validate(doc.data)
        except ValidationError as exc:
            found = model_errors(doc, exc, model)
            errors.extend(found)
            if broken is not None:
                doc.failed = {error.path for error in found}
                broken.append(doc)
            return None
        self._cache[path] = (digest, doc, value)
        return doc, value

    def load(self, root: Path) -> CourseSource:
        """Load and check the course under ``root``; raise :class:`CourseErrors` listing every problem."""
        self.parsed = []
        tree = check_tree(root) if root.is_dir() else None
        errors: list[ContentError] = list(tree.errors) if tree else []
        self.unsafe = list(tree.errors) if tree else []
        rejected = {path.as_posix() for path in tree.rejected} if tree else set()
        course_path = root / "course.yml"
        course_name = display_path(course_path)
        if _unresolved(course_path) in rejected:
            raise CourseErrors(errors)
        if not course_path.is_file():
            raise CourseErrors([ContentError(course_name, 1, 1, "", "no course file: create course.yml with at least a `title`")])
        course = self._validated(course_path, course_name, Course, errors)

        modules: list[ModuleSource] = []
        broken: list[Document] = []  # module files with model errors
        files = sorted(
            path
            for path in ((root / "modules").glob("*.yml") if (root / "modules").is_dir() else ())
            if not ignored(path.name)
        )
        if not files:
            errors.append(
                ContentError(display_path(root / "modules"), 1, 1, "", "no module files: add modules/01-first-module.yml")
            )
        for path in files:
            name = display_path(path)
            match = MODULE_FILE.match(path.name)
            module_id = match.group(2) if match else path.stem
            if not MODULE_ID.match(module_id):
                errors.append(
                    ContentError(name, 1, 1, "", f"the module id `{module_id}` (from the file name) must be lowercase a-z, 0-9 and dashes; try `{slugify(module_id)}`")
                )
                continue
            if module_id in RESERVED_IDS:
                errors.append(ContentError(name, 1, 1, "", f"the module id `{module_id}` is a page of the site itself; rename the file"))
                continue
            if _unresolved(path) in rejected:
                continue  # reported by the check of the content folder, and never read
            loaded = self._validated(path, name, Module, errors, broken)
            if loaded:
                modules.append(ModuleSource(module_id, loaded[0], loaded[1]))

        transcripts: dict[str, str] = {}
        if course:
            course_doc, course_model = course
            modules = _order(course_doc, course_model, modules, files, errors)
            checked = [(module.doc, _block_refs(module.model)) for module in modules]
            checked += [(doc, _raw_block_refs(doc)) for doc in broken]
            _check_references(course_doc, course_model, checked, errors)
            for doc, refs in checked:
                _check_blocks(root, doc, refs, errors, transcripts)
            _check_handouts(root, course_doc, course_model, errors)

        # Sessions: trainers' plans of deliveries, checked against the modules (builder.sessions builds on this module).
        from .sessions import load_sessions

        known_ids = {match.group(2) for path in files if (match := MODULE_FILE.match(path.name))}
        sessions = load_sessions(self, root, modules, known_ids, errors)

        if errors:
            raise CourseErrors(errors)
        assert course is not None
        return CourseSource(root, course[0], course[1], modules, transcripts, sessions)


def _unresolved(path: Path) -> str:
    """The absolute path of a file as the check of the content folder names it: its folder resolved, not the file."""
    return (path.parent.resolve() / path.name).as_posix()


def _order(doc: Document, course: Course, modules: list[ModuleSource], files: list[Path], errors: list[ContentError]) -> list[ModuleSource]:
    by_id: dict[str, ModuleSource] = {}
    for module in modules:
        if module.id in by_id:
            first = by_id[module.id].doc.name
            errors.append(module.doc.error((), "", f"two modules have the id `{module.id}` (the other is {first})"))
        else:
            by_id[module.id] = module
    if course.modules is None:
        return list(by_id.values())
    listed: list[ModuleSource] = []
    seen: set[str] = set()
    known_ids = {MODULE_FILE.match(p.name).group(2) for p in files if MODULE_FILE.match(p.name)}  # type: ignore[union-attr]
    for i, module_id in enumerate(course.modules):
        loc: Loc = ("modules", i)
        if module_id in seen:
            errors.append(doc.error(loc, format_path(loc), f"`{module_id}` is listed twice"))
            continue
        seen.add(module_id)
        if module_id in by_id:
            listed.append(by_id[module_id])
        elif module_id not in known_ids:
            hint = did_you_mean(module_id, known_ids)
            errors.append(doc.error(loc, format_path(loc), f"no module file for `{module_id}` (expected modules/NN-{module_id}.yml){hint}"))
    for module in by_id.values():
        if module.id not in seen:
            errors.append(
                doc.error(("modules",), "modules", f"the module file {module.doc.name} is not listed; add `{module.id}` to `modules` or remove the file")
            )
    return listed


def _block_refs(module: Module) -> list[BlockRefs]:
    refs = []
    for b, block in enumerate(module.blocks):
        paths: list[tuple[str, str]] = [(name, value) for name in _PATH_FIELDS[type(block)] if (value := getattr(block, name)) is not None]
        transcript = None
        if isinstance(block, Video) and block.transcript and _TRANSCRIPT_FILE.match(block.transcript.strip()):
            transcript = block.transcript.strip()
        refs.append(BlockRefs(b, block.id, block.cite, paths, transcript))
    return refs


def _raw_block_refs(doc: Document) -> list[BlockRefs]:
    """The ids, citations and paths of a module file with model errors, where those fields are valid text."""
    failed = doc.failed
    blocks = doc.data.get("blocks") if isinstance(doc.data, dict) else None
    refs: list[BlockRefs] = []
    for b, block in enumerate(blocks if isinstance(blocks, list) else []):
        if not isinstance(block, dict):
            continue

        valid = functools.partial(_valid_field, block, f"blocks[{b}]", failed)
        cite = valid("cite")
        cite = [key for key in cite if isinstance(key, str) and key] if isinstance(cite, list) else []
        block_id = valid("id")
        paths = [(name, value.strip().replace("\\", "/")) for name in ("src", "captions") if isinstance(value := valid(name), str)]
        transcript = valid("transcript")
        transcript = transcript.strip() if block.get("type") == "video" and isinstance(transcript, str) and _TRANSCRIPT_FILE.match(transcript.strip()) else None
        refs.append(BlockRefs(b, block_id if isinstance(block_id, str) else None, cite, paths, transcript))
    return refs


def _valid_field(block: dict[str, Any], at: str, failed: set[str], name: str) -> Any:
    """A field of a block of a module with model errors, or None if the model refused it (or the block)."""
    path = f"{at}.{name}"
    if at in failed or any(f == path or f.startswith((path + "[", path + ".")) for f in failed):
        return None
    return block.get(name)


def _check_references(doc: Document, course: Course, modules: list[tuple[Document, list[BlockRefs]]], errors: list[ContentError]) -> None:
    keys: dict[str, int] = {}
    anchors: dict[str, int] = {}
    for i, reference in enumerate(course.references):
        loc: Loc = ("references", i, "key")
        anchor = slugify(reference.key)
        if reference.key in keys:
            errors.append(doc.error(loc, format_path(loc), f"the reference key `{reference.key}` is used twice (first is references[{keys[reference.key]}])"))
            continue
        keys[reference.key] = i
        if anchor and anchor in anchors:
            first = course.references[anchors[anchor]].key
            errors.append(
                doc.error(loc, format_path(loc), f"the reference keys `{first}` (references[{anchors[anchor]}]) and `{reference.key}` make the same link anchor `ref-{anchor}`; make them differ in letters or digits")
            )
        else:
            anchors[anchor] = i
    for module_doc, blocks in modules:
        for block in blocks:
            for c, key in enumerate(block.cite):
                if key not in keys:
                    loc = ("blocks", block.index, "cite", c)
                    hint = did_you_mean(key, keys) or ("; add it to `references` in course.yml" if keys else "; course.yml has no `references`")
                    errors.append(module_doc.error(loc, format_path(loc), f"unknown reference key `{key}`{hint}"))


def _check_path(root: Path, doc: Document, loc: Loc, value: str, errors: list[ContentError]) -> Path | None:
    target = (root / value).resolve()
    if not target.is_relative_to(root.resolve()):
        errors.append(doc.error(loc, format_path(loc), f"`{value}` points outside the content folder"))
        return None
    if not target.is_file():
        if target.exists() and not target.is_dir():
            return None  # a pipe, a device or a socket: the check of the content folder reports it
        errors.append(doc.error(loc, format_path(loc), f"no file `{value}` in the content folder (paths are relative to it, e.g. media/...)"))
        return None
    return target


def _check_handouts(root: Path, doc: Document, course: Course, errors: list[ContentError]) -> None:
    for i, path in enumerate(course.handouts):
        _check_path(root, doc, ("handouts", i), path, errors)


# The path fields of each block type, looked up once: asking a pydantic model for a field it lacks is slow.
_PATH_FIELDS = {cls: tuple(f for f in ("src", "captions") if f in cls.model_fields) for cls in BLOCK_TYPES.values()}
_MARKDOWN = TypeAdapter(Markdown)  # a transcript file is checked like any Markdown field
_FILE_NAME = TypeAdapter(ContentPath)  # and its name like any path
_TRANSCRIPT_FILE = re.compile(r"^[^\n]+\.(md|markdown|txt)$")


def _check_blocks(root: Path, doc: Document, blocks: list[BlockRefs], errors: list[ContentError], transcripts: dict[str, str]) -> None:
    explicit: dict[str, int] = {}
    for block in blocks:
        b = block.index
        if block.id is not None:
            loc: Loc = ("blocks", b, "id")
            if block.id in PAGE_ANCHORS or _PROMPT_ANCHOR.search(block.id):
                part = "the key points heading" if block.id in PAGE_ANCHORS else "an activity's prompt"
                errors.append(doc.error(loc, format_path(loc), f"the id `{block.id}` is the page's own anchor for {part}; choose another"))
            elif block.id in explicit:
                errors.append(doc.error(loc, format_path(loc), f"the id `{block.id}` is already used by blocks[{explicit[block.id]}]"))
            else:
                explicit[block.id] = b
        for field, value in block.paths:
            _check_path(root, doc, ("blocks", b, field), value, errors)
        if block.transcript is not None:
            try:
                _FILE_NAME.validate_python(block.transcript)
            except ValidationError as exc:
                loc = ("blocks", b, "transcript")
                errors.append(doc.error(loc, format_path(loc), exc.errors()[0]["msg"]))
                continue
            target = _check_path(root, doc, ("blocks", b, "transcript"), block.transcript, errors)
            if target is not None:
                _check_transcript(doc, b, block.transcript, target, errors, transcripts)


def _check_transcript(doc: Document, b: int, path: str, target: Path, errors: list[ContentError], transcripts: dict[str, str]) -> None:
    loc: Loc = ("blocks", b, "transcript")
    try:
        text = decode_source(read_source(target, path), path)
        _MARKDOWN.validate_python(text)
    except LoadFailure as failure:
        errors.append(doc.error(loc, format_path(loc), f"{path}: {failure.errors[0].message}"))
        return
    except ValidationError as exc:
        errors.append(doc.error(loc, format_path(loc), f"{path}: {exc.errors()[0]['msg']}"))
        return
    transcripts[path] = text


def load_course(root: Path) -> CourseSource:
    """Load and validate the course under ``root`` once, with no cache."""
    return CourseLoader().load(root)


__all__ = ["ACTIVITY_TYPES", "DEFAULT_TITLES", "CourseLoader", "CourseSource", "ModuleSource", "load_course", "model_errors"]
