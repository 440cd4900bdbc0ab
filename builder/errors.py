"""Located content errors: what every stage reports when an author's files break the contract.

An error names the file, line and column, the field's path and a plain-language message, and
prints as ``content/modules/02-trust.yml:14:5: error: blocks[3].prompts: message``.
"""

from __future__ import annotations

import difflib
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
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: error: {self.path}: {self.message}" if self.path else f"{where}: error: {self.message}"


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
