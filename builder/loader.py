"""Load stage: read one YAML file into plain data plus the line and column of every field.

The file is parsed by libyaml (``CSafeLoader``) as a stream of events that this module turns
into dicts, lists and scalars itself, so that it can refuse what YAML allows but authors never
mean: duplicate keys, anchors and aliases, tags, tabs in indentation, text that is not UTF-8,
huge files and deep nesting. YAML 1.1's surprises (``no`` read as false, ``3:30`` read as 210)
stay text here; the model decides whether text fits.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.reader
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .errors import ContentError, Loc, format_path

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32

_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_NUMBER_CONSTRUCTORS: dict[str, Callable[[ScalarNode], Any]] = {
    "tag:yaml.org,2002:int": lambda node: _CONSTRUCTOR.construct_yaml_int(node),
    "tag:yaml.org,2002:float": lambda node: _CONSTRUCTOR.construct_yaml_float(node),
}
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"

try:  # the C parser is 20x faster; the pure-Python one only stands in where libyaml is missing
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader


class SourcedInt(int):
    """An integer that remembers how it was written, so a field that wants text gets ``007``."""

    source: str


class SourcedFloat(float):
    """A float that remembers how it was written (``1.10`` stays ``1.10`` where text is wanted)."""

    source: str


@dataclass
class Document:
    """One loaded file: its data and where each field stands in it."""

    path: Path
    name: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)  # the field paths the model refused, when it did

    def locate(self, loc: Loc) -> tuple[int, int]:
        """Line and column of ``loc``, or of its nearest ancestor that is in the file."""
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def error(self, loc: Loc, path: str, message: str) -> ContentError:
        line, column = self.locate(loc)
        return ContentError(self.name, line, column, path, message)


class LoadFailure(Exception):
    """The file could not be read into data at all; ``errors`` says where and why."""

    def __init__(self, errors: list[ContentError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


def _scalar(event: yaml.ScalarEvent) -> Any:
    """The value of a scalar event, keeping YAML 1.1's accidental booleans and sexagesimals as text."""
    value: str = event.value
    if not event.implicit[0]:
        return value  # quoted, or tagged with the non-specific "!"
    tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true" if value.lower() in ("true", "false") else value
    construct = _NUMBER_CONSTRUCTORS.get(tag)
    if construct is None or ":" in value:
        return value  # timestamps, `3:30` and the like are text until a field says otherwise
    number = construct(ScalarNode(tag, value))
    sourced = (SourcedInt if isinstance(number, int) else SourcedFloat)(number)
    sourced.source = value
    return sourced


def _tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: mostly text whose every other byte is zero."""
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return False
    half = len(sample) // 2
    return sample[0::2].count(0) >= half * 0.9 or sample[1::2].count(0) >= half * 0.9


def decode_source(raw: bytes, name: str) -> str:
    """Content files are UTF-8 (a byte-order mark is fine); anything else is refused with its position."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        raise LoadFailure([ContentError(name, 1, 1, "", "the file is UTF-16, not UTF-8; save it as UTF-8")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        raise LoadFailure(
            [ContentError(name, line, column, "", f"the file is not UTF-8 text (byte 0x{byte:02X}); save it as UTF-8")]
        ) from None


def _tab_errors(text: str, name: str) -> list[ContentError]:
    errors = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            errors.append(
                ContentError(name, number, indent.index("\t") + 1, "", "a tab in indentation; indent with spaces")
            )
    return errors


def load_text(text: str, path: Path, name: str) -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`LoadFailure` with located errors."""
    errors = _tab_errors(text, name) if "\t" in text else []
    if errors:
        raise LoadFailure(errors)
    doc = Document(path=path, name=name, data=None)
    positions = doc.positions
    # Each open container: [container, its loc, pending key or None, start mark, flow style]
    stack: list[list[Any]] = []
    roots = 0
    aliases: set[str] = set()
    parser = _Parser(text)

    def where(mark: Any) -> tuple[int, int]:
        return mark.line + 1, mark.column + 1

    def refuse(mark: Any, message: str, loc: Loc = ()) -> None:
        line, column = where(mark)
        errors.append(ContentError(name, line, column, format_path(loc), message))

    def add(value: Any, mark: Any) -> Loc | None:
        """Put a finished value into the open container; return the loc it took."""
        nonlocal roots
        if not stack:
            roots += 1
            if roots > 1:
                refuse(mark, "a content file holds one YAML document; remove the `---` separator")
                return None
            doc.data = value
            positions[()] = where(mark)
            return ()
        top = stack[-1]
        container, loc = top[0], top[1]
        if isinstance(container, list):
            item_loc = (*loc, len(container))
            container.append(value)
            positions.setdefault(item_loc, where(mark))
            return item_loc
        key = top[2]
        if key is None:  # this value is a key
            if not isinstance(value, str):
                refuse(mark, "a key must be a plain name, not a list or mapping", loc)
                top[2] = (None, where(mark))
                return None
            top[2] = (value, where(mark))
            return None
        top[2] = None
        key_name, key_pos = key
        if key_name is None:  # the key itself was refused
            return None
        entry_loc = (*loc, key_name)
        if key_name in container:
            first = positions.get(entry_loc, (0, 0))[0]
            line, column = key_pos
            errors.append(
                ContentError(name, line, column, format_path(entry_loc), f"duplicate key `{key_name}` (first at line {first})")
            )
            return None
        container[key_name] = value
        positions[entry_loc] = key_pos
        return entry_loc

    try:
        while parser.check_event():
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.anchor is not None:
                    refuse(event.start_mark, f"anchors (`&{event.anchor}`) are not allowed; write the content out")
                if event.tag not in (None, "!"):
                    refuse(event.start_mark, f"YAML tags (`{_tag(event.tag)}`) are not allowed; write plain values")
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    add(event.value, event.start_mark)  # keys stay as written: `no:` is the key "no"
                else:
                    add(_scalar(event), event.start_mark)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None:
                    refuse(event.start_mark, f"anchors (`&{event.anchor}`) are not allowed; write the content out")
                if event.tag not in (None, "!"):
                    refuse(event.start_mark, f"YAML tags (`{_tag(event.tag)}`) are not allowed; write plain values")
                if len(stack) >= MAX_DEPTH:
                    refuse(event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels")
                    raise LoadFailure(errors)
                container: Any = {} if kind is yaml.MappingStartEvent else []
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    refuse(event.start_mark, "a key must be a plain name, not a list or mapping", stack[-1][1])
                    stack[-1][2] = (None, where(event.start_mark))
                    stack.append([container, ("<key>",), None, event.start_mark, event.flow_style])
                    continue
                parent_loc = stack[-1][1] if stack else ()
                pending = stack[-1][2] if stack and isinstance(stack[-1][0], dict) else None
                if stack and isinstance(stack[-1][0], list):
                    loc: Loc = (*parent_loc, len(stack[-1][0]))
                elif pending is not None:
                    loc = (*parent_loc, pending[0])
                else:
                    loc = ()
                stack.append([container, loc, None, event.start_mark, event.flow_style])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                container, _loc, _key, start, _flow = stack.pop()
                add(container, start)
            elif kind is yaml.AliasEvent:
                if event.anchor not in aliases:  # once per anchor: an alias bomb repeats the same one
                    aliases.add(event.anchor)
                    refuse(event.start_mark, f"aliases (`*{event.anchor}`) are not allowed; write the content out")
                add(None, event.start_mark)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = where(mark) if mark else (1, 1)
        # Flow collections hold no block collections, so the block ones still open enclose the failing point.
        enclosing = sum(1 for entry in stack if not entry[4])
        deep = _too_deep_flow(text, (line, column), MAX_DEPTH - enclosing)
        if deep is not None:  # the parser's own depth limit (libyaml >= 0.2.5 in PyYAML 6.0.4) spoke before ours
            errors.append(ContentError(name, *deep, "", f"nesting is deeper than {MAX_DEPTH} levels"))
        else:
            problem = exc.problem or exc.context or "not valid YAML"
            errors.append(ContentError(name, line, column, "", f"YAML syntax: {problem}"))
    except yaml.reader.ReaderError:
        errors.append(_unreadable_character(text, name))
    except yaml.YAMLError as exc:
        errors.append(ContentError(name, 1, 1, "", f"YAML syntax: {exc}"))
    finally:
        parser.dispose()
    if errors:
        raise LoadFailure(errors)
    return doc


# What YAML refuses to read anywhere in a file: control characters other than tab, line feed and carriage return,
# surrogates and the two non-characters (YAML 1.1, 5.1).
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _unreadable_character(text: str, name: str) -> ContentError:
    """Where the character YAML refused stands (the parser only gives a byte offset)."""
    found = _NOT_YAML.search(text)
    if found is None:  # pragma: no cover - the parser refused something our pattern allows
        return ContentError(name, 1, 1, "", "the file holds a character YAML does not allow")
    start = found.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return ContentError(
        name, line, column, "", f"a control character (U+{ord(found.group()):04X}) is not allowed in a content file; remove it"
    )


_FLOW_OPEN_AFTER = frozenset("[{,:-?")


def _too_deep_flow(text: str, before: tuple[int, int], limit: int) -> tuple[int, int] | None:
    """Where flow collections (``[[[...``) first nest deeper than ``limit``, if they do before ``before``.

    Our depth limit is enforced on the parser's events, but a parser may look far ahead inside flow
    collections and fail on its own limit before any event reaches us. When parsing fails, this linear
    scan tells whether our limit was crossed first, so the author gets the builder's own message
    whatever PyYAML version is installed. Brackets inside quoted text and comments do not count.
    """
    depth = 0
    line, column = 1, 0
    quote = ""
    previous = "\n"  # the last character that was not a space
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        i += 1
        if char == "\n":
            line, column, previous = line + 1, 0, "\n"
            if (line, 1) > before:
                return None
            continue
        column += 1
        if quote:
            if char == "\\" and quote == '"':
                i += 1
                column += 1
            elif char == quote:
                if quote == "'" and text.startswith("'", i):  # '' inside single quotes is a quote
                    i += 1
                    column += 1
                else:
                    quote = ""
            continue
        if char in " \r":
            continue
        if char == "#" and (column == 1 or text[i - 2] in " \t"):
            newline = text.find("\n", i)
            column += (newline if newline >= 0 else end) - i
            i = newline if newline >= 0 else end
            continue
        if depth and char in "\"'" and previous in "[{,:":
            quote = char
        elif char in "[{" and (depth or previous in _FLOW_OPEN_AFTER or previous == "\n"):
            depth += 1
            if depth > limit:
                return (line, column) if (line, column) < before else None
        elif char in "]}" and depth:
            depth -= 1
        previous = char
    return None


def _too_big(name: str, size: int) -> LoadFailure:
    return LoadFailure(
        [ContentError(name, 1, 1, "", f"the file is {-(-size // 1024)} KiB; a content file may be at most 1024 KiB (1 MiB)")]
    )


def read_source(path: Path, name: str) -> bytes:
    """The bytes of a content file, refusing files over 1 MiB, and anything but a regular file, before reading them.

    A device (``/dev/zero``) or a named pipe reports a size of 0 and never ends, or never starts: only regular
    files are opened, and no more than the limit is read whatever the size said."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise LoadFailure([ContentError(name, 1, 1, "", f"{special_kind(status.st_mode)}, not a file; replace it with a file")])
        if status.st_size > MAX_FILE_BYTES:
            raise _too_big(name, status.st_size)
        with path.open("rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise _too_big(name, len(raw))
        return raw
    except OSError as exc:
        raise LoadFailure([ContentError(name, 1, 1, "", f"cannot read the file: {exc.strerror}")]) from None


def special_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"

def load_file(path: Path, name: str) -> Document:
    """Read and parse one content file."""
    return load_text(decode_source(read_source(path, name), name), path, name)
