"""The content folder's files: what is in it that must not be read or published, found before anything reads it.

A symlink that leads outside ``content/``, a symlink loop, a named pipe, a device or a socket would let a
build read or publish what the author never meant, or hang it; an SVG file with scripts, or an HTML file,
would run script on the course's site. Each is an error at its file. Editor and hidden files are ignored.
"""

from __future__ import annotations

import html
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, display_path


def ignored(name: str) -> bool:
    """Hidden files and the files editors keep beside the one being edited (``.#02-x.yml``, ``x.yml~``, ``.x.swp``)."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swo", ".swx"))


# What makes an SVG image run script: a script element, a foreign (HTML) object, an event handler, a script URL.
_SVG_SCRIPT = re.compile(r"<\s*(script|foreignObject)\b|[\s\"'/](on[a-z]+)\s*=|((?:java|vb)script)\s*:", re.IGNORECASE)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass
class TreeCheck:
    """What the check of a content folder found: the errors, and the paths no stage may read."""

    errors: list[ContentError] = field(default_factory=list)
    rejected: set[Path] = field(default_factory=set)


# Checked SVG files, by path and what stat says of them: the preview checks the folder at every save.
_SVG_CHECKED: dict[tuple[str, int, int, int], ContentError | None] = {}


def check_tree(root: Path) -> TreeCheck:
    """Walk ``root`` without following symlinks and report what no build may read or publish."""
    check = TreeCheck()
    base = root.resolve()
    shown = display_path(root)
    for folder, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames) + sorted(filenames):
            path = Path(folder) / name
            relative = path.relative_to(base).as_posix()
            message = _problem(base, path)
            if message is None and name in filenames and not ignored(name):
                error = _published_problem(path, relative, shown)
                if error is not None:
                    check.errors.append(error)
                    check.rejected.add(path)
                continue
            if message is not None:
                check.errors.append(ContentError(f"{shown}/{relative}", 1, 1, "", message))
                check.rejected.add(path)
    return check


def _problem(base: Path, path: Path) -> str | None:
    """What makes this entry unsafe to read, or None."""
    try:
        status = path.lstat()
    except OSError:
        return None  # gone meanwhile
    if stat.S_ISLNK(status.st_mode):
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return None  # leads nowhere (an editor's lock file): nothing reads it
        except (RuntimeError, OSError):
            return "a symlink loop (the link leads back to itself); remove it"
        if not target.is_relative_to(base):
            return "a symlink that leads outside the content folder; copy the file into the content folder instead"
        try:
            status = target.stat()
        except OSError:
            return None
        if stat.S_ISDIR(status.st_mode) and path.parent.resolve().is_relative_to(target):
            return "a symlink loop (the link leads back to a folder that holds it); remove it"
    if stat.S_ISDIR(status.st_mode) or stat.S_ISREG(status.st_mode):
        return None
    from .loader import special_kind

    return f"{special_kind(status.st_mode)}, not a file; only files and folders may be in the content folder"


def _published_problem(path: Path, relative: str, shown: str) -> ContentError | None:
    """A file that would run script on the site if it were published."""
    lower = relative.lower()
    if lower.endswith(_HTML_SUFFIXES):
        return ContentError(
            f"{shown}/{relative}", 1, 1, "",
            "HTML files are not published (a page of its own could run scripts on the course's site); "
            "make it a PDF, or put its text in a module",
        )
    if lower.endswith(".svg"):
        return _svg_problem(path, f"{shown}/{relative}")
    return None


MAX_SVG_BYTES = 32 * 1024 * 1024


def _svg_problem(path: Path, name: str) -> ContentError | None:
    try:
        status = path.stat()
        key = (str(path), status.st_mtime_ns, status.st_size, status.st_ino)
        if key not in _SVG_CHECKED:
            with path.open("rb") as f:
                raw = f.read(MAX_SVG_BYTES + 1)
            if len(raw) > MAX_SVG_BYTES:
                return ContentError(name, 1, 1, "", f"an SVG image may be at most {MAX_SVG_BYTES // 1024 // 1024} MiB; make it smaller")
            _SVG_CHECKED[key] = _svg_scripts(raw.decode("utf-8", "replace"), name)
    except OSError:
        return None  # gone meanwhile: whatever names it finds no file
    return _SVG_CHECKED[key]


def _svg_scripts(text: str, name: str) -> ContentError | None:
    found = _SVG_SCRIPT.search(text)
    decoded = False
    if found is None and "&" in text:  # entities could spell a script URL (`javascript&#58;`)
        found, decoded = _SVG_SCRIPT.search(html.unescape(text)), True
    if found is None:
        return None
    what = found.group(1) or found.group(2) or found.group(3)
    kind = f"`<{what}>`" if found.group(1) else f"an event handler (`{what}=`)" if found.group(2) else f"a `{what}:` link"
    line, column = (1, 1) if decoded else _position(text, found.start(found.lastindex or 0))
    return ContentError(
        name, line, column, "", f"an SVG image may not hold scripts ({kind} found); remove it, or save the image again without scripts"
    )


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
