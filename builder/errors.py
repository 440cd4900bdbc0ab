"""Located content errors: what every stage reports when an author's files break the contract.

An error names the file, line and column, the field's path and a plain-language message, and
prints as ``content/modules/02-trust.yml:14:5: error: blocks[3].prompts: message``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Loc = tuple[str | int, ...]


def format_path(loc: Loc) -> str:
    """``("blocks", 3, "prompts")`` -> ``blocks[3].prompts``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``; did you mean `x`?`` suffix when one choice is close to ``word``, else ``""``."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one file, at a line and column (1-based), on a field path."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{_printable(self.file)}:{self.line}:{self.column}"
        message = _printable(self.message)
        return f"{where}: error: {_printable(self.path)}: {message}" if self.path else f"{where}: error: {message}"


# Characters that would act on a terminal rather than show (escape sequences, a carriage return, bidirectional
# overrides): content quoted in a message is shown with them escaped, as `\x1b` or `\u202e`.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    if text.isprintable():
        return text
    text = text.replace("\n", "\\n").replace("\t", "\\t")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


@dataclass
class CourseErrors(Exception):
    """Every error found in a course, raised once all files have been read and checked."""

    errors: list[ContentError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(e) for e in sorted(set(self.errors))]
        count = len(lines)
        lines.append(f"{count} error{'s' if count != 1 else ''} in the course.")
        return "\n".join(lines)


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as the author knows it: relative to the working directory when it is below it."""
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def raise_if_any(errors: Sequence[ContentError]) -> None:
    if errors:
        raise CourseErrors(list(errors))
