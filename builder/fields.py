"""Field types of the content format: plain text, checked Markdown, minutes, video ids and times.

Each type turns what YAML gave into what the model keeps, or fails with a message an author can
act on. They are shared by the course and module models in :mod:`builder.model`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qs, urlparse

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError


def describe(value: Any) -> str:
    """How a found value is named in an error message."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean `{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"the number `{getattr(value, 'source', value)}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    text = str(value)
    return f"`{text[:40]}…`" if len(text) > 40 else f"`{text}`"


def _as_text(value: Any) -> Any:
    """Numbers where text is meant become the text the author wrote (``1.10``, ``007``)."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "text_type", "expected text, found {found}; put it in quotes if you meant the word", {"found": describe(value)}
        )
    if isinstance(value, (int, float)):
        return getattr(value, "source", str(value))
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "expected text, found {found}", {"found": describe(value)})
    return value


# What Markdown fields may not carry: scripts, frames, inline handlers and script URLs.
_FORBIDDEN_TAG = re.compile(r"<\s*(script|iframe|frame|frameset|object|embed)\b", re.IGNORECASE)
# A tag, to its `>` or the end: matches never overlap, so finding them all is linear (a lazy search for a handler
# from every `<` was quadratic: a field of many `<a` without a `>` took seconds).
# A `>` inside a quoted value does not end the tag; the alternatives start differently, so there is no backtracking.
_TAG = re.compile(r"""<[a-zA-Z](?:[^>"']|"[^"]*"|'[^']*')*""")
# A browser reads an attribute after a space, a quote or a slash (`<img src="x"onerror=...>`, `<img/onerror=...>`).
_HANDLER = re.compile(r"""[\s"'/]on[a-z]+\s*=""", re.IGNORECASE)
# attr_list's attributes (`{: onclick="..." }`), which Markdown writes onto the element before them.
_ATTR_LIST = re.compile(r"\{[^{}\n]*\}")
_ATTR_HANDLER = re.compile(r"""(?:^|[\s{:"'])on[a-z]+\s*=""", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"(java|vb)script\s*:", re.IGNORECASE)
_URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in an address (`java&Tab;script:`)


# The checks above and below that concern safety (scripts in Markdown, link addresses, file names, line breaks in
# titles) give authors a located error early. The site is safe without them: every page's HTML passes the
# allowlist of builder/sanitize.py on output, which the tests show by turning these checks off (SAFETY_CHECKS).
SAFETY_CHECKS = True


def _safety(check: Callable[[str], str]) -> Callable[[str], str]:
    def run(value: str) -> str:
        return check(value) if SAFETY_CHECKS else value

    return run


def _safe_markdown(value: str) -> str:
    # Cheap tests first: most prose has no tag, and a script URL needs a colon or an entity.
    if "<" in value:
        tag = _FORBIDDEN_TAG.search(value)
        if tag:
            name = tag.group(1).lower()
            hint = "; embed videos with a `video` block" if name in ("iframe", "object", "embed") else ""
            raise PydanticCustomError(
                "unsafe_markdown", "`<{tag}>` is not allowed in Markdown{hint}", {"tag": name, "hint": hint}
            )
        if any(_HANDLER.search(tag.group()) for tag in _TAG.finditer(value)):
            raise PydanticCustomError("unsafe_markdown", "inline event handlers (`onclick=`…) are not allowed in Markdown", {})
    if "{" in value and any(_ATTR_HANDLER.search(attrs.group()) for attrs in _ATTR_LIST.finditer(value)):
        raise PydanticCustomError("unsafe_markdown", "inline event handlers (`onclick=`…) are not allowed in Markdown", {})
    # Entities could spell the scheme (`java&#115;cript:`, `&colon;`), and a tab or line break may split it.
    if ":" in value or "&" in value:
        probe = _URL_IGNORED.sub("", html.unescape(value) if "&" in value else value)
        if _SCRIPT_URL.search(probe):
            raise PydanticCustomError("unsafe_markdown", "`javascript:` URLs are not allowed in Markdown", {})
    return value


def _not_empty(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty_text", "may not be empty", {})
    return value.strip()


def _one_line(value: str) -> str:
    if "\n" in value.strip() or "\r" in value.strip():
        raise PydanticCustomError(
            "line_break", "plain text is one line, found a line break; write it on one line (in YAML, `>-` folds lines into one)", {}
        )
    return value


PlainText = Annotated[str, BeforeValidator(_as_text), AfterValidator(_safety(_one_line)), AfterValidator(_not_empty)]
"""Text shown as written, on one line: escaped, never read as HTML or Markdown."""

Markdown = Annotated[str, BeforeValidator(_as_text), AfterValidator(_safety(_safe_markdown))]
"""Prose in Markdown as MkDocs renders it, without scripts, frames or handlers."""


def _minutes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PydanticCustomError("minutes", "expected a whole number of minutes, found {found}", {"found": describe(value)})
    if isinstance(value, str):
        if ":" in value:
            raise PydanticCustomError(
                "minutes",
                "expected a whole number of minutes, found `{found}` (YAML reads h:mm as a base-60 number); write the minutes, e.g. 90",
                {"found": value},
            )
        raise PydanticCustomError("minutes", "expected a whole number of minutes, found {found}", {"found": describe(value)})
    if isinstance(value, float) and not value.is_integer():
        raise PydanticCustomError("minutes", "expected a whole number of minutes, found {found}", {"found": describe(value)})
    if value <= 0:
        raise PydanticCustomError("minutes", "minutes must be more than 0, found {found}", {"found": describe(value)})
    if value > MAX_MINUTES:
        raise PydanticCustomError(
            "minutes", "at most {most} minutes (a day), found {found}", {"most": MAX_MINUTES, "found": describe(value)}
        )
    return int(value)


MAX_MINUTES = 24 * 60
Minutes = Annotated[int, BeforeValidator(_minutes), Field(gt=0, le=MAX_MINUTES)]


def _percentage(value: Any) -> int:
    if isinstance(value, str) and value.strip().endswith("%"):
        raise PydanticCustomError(
            "pass_mark", "expected a whole percentage from 1 to 100, found {found}; write the number without `%`, e.g. 80", {"found": describe(value)}
        )
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not value.is_integer()):
        raise PydanticCustomError("pass_mark", "expected a whole percentage from 1 to 100, found {found}", {"found": describe(value)})
    if not 1 <= value <= 100:
        raise PydanticCustomError("pass_mark", "expected a whole percentage from 1 to 100, found {found}", {"found": describe(value)})
    return int(value)


PassMark = Annotated[int, BeforeValidator(_percentage), Field(ge=1, le=100)]

_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


def _seconds(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return int(value)
    if isinstance(value, str):
        match = _TIME.match(value.strip())
        if match and int(match.group(3)) < 60 and (match.group(1) is None or int(match.group(2)) < 60):
            hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
            return hours * 3600 + minutes * 60 + seconds
    raise PydanticCustomError(
        "video_time", "expected seconds (e.g. 90) or `m:ss` (e.g. \"1:30\"), found {found}", {"found": describe(value)}
    )


VideoTime = Annotated[
    int,
    BeforeValidator(_seconds),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": r"^(\d+:)?\d{1,2}:\d{2}$"},
            ],
            "description": "seconds, or m:ss / h:mm:ss (quote it: \"1:30\")",
        }
    ),
]

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}


def _youtube(value: Any) -> str:
    text = _as_text(value).strip()
    if _YOUTUBE_ID.match(text):
        return text
    url = urlparse(text)
    candidate = ""
    if url.scheme in ("http", "https"):
        if url.hostname == "youtu.be":
            candidate = url.path.lstrip("/")
        elif url.hostname in _YOUTUBE_HOSTS:
            if url.path == "/watch":
                candidate = parse_qs(url.query).get("v", [""])[0]
            else:
                parts = url.path.strip("/").split("/")
                if len(parts) == 2 and parts[0] in ("embed", "shorts", "live", "v"):
                    candidate = parts[1]
    if _YOUTUBE_ID.match(candidate):
        return candidate
    raise PydanticCustomError(
        "youtube",
        "expected an 11-character YouTube video id or a YouTube watch/share URL, found {found}",
        {"found": describe(value)},
    )


def _vimeo(value: Any) -> str:
    text = _as_text(value).strip()
    if text.isdigit():
        return text
    url = urlparse(text)
    if url.scheme in ("http", "https") and url.hostname in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        parts = [p for p in url.path.split("/") if p]
        if parts and parts[0] == "video":
            parts = parts[1:]
        if parts and parts[-1].isdigit():
            return parts[-1]
        if len(parts) >= 1 and parts[0].isdigit():
            return parts[0]
    raise PydanticCustomError(
        "vimeo", "expected a numeric Vimeo video id or a Vimeo URL, found {found}", {"found": describe(value)}
    )


YouTubeId = Annotated[str, BeforeValidator(_youtube)]
VimeoId = Annotated[str, BeforeValidator(_vimeo)]

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _anchor(value: Any) -> str:
    text = _as_text(value).strip()
    if not _ID.match(text):
        suggestion = slugify(text)
        hint = f"; try `{suggestion}`" if suggestion else ""
        raise PydanticCustomError(
            "anchor", "an id is lowercase letters, digits and single dashes, found {found}{hint}", {"found": describe(value), "hint": hint}
        )
    return text


Anchor = Annotated[str, BeforeValidator(_anchor)]


# Characters no address may hold as they are (RFC 3986): spaces, controls, quotes, angle brackets and braces.
_URL_UNSAFE = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]')
# A file name under content/: letters, digits, dot, underscore, dash, in folders.
_FILE_NAME = re.compile(r"^[A-Za-z0-9._/-]+$")
_MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+$", re.IGNORECASE)


def _link(value: str) -> str:
    text = value.strip()
    parsed = urlparse(text)
    if parsed.scheme in ("http", "https", "mailto"):
        bad = _URL_UNSAFE.search(text)
        if bad:
            char = bad.group()
            shown = "a space" if char == " " else "a control character" if char < " " or char == "\x7f" else f"`{char}`"
            raise PydanticCustomError("url", "an address may not hold {char}; percent-encode it (a space is `%20`)", {"char": shown})
        if parsed.netloc or (parsed.scheme == "mailto" and _MAILTO.match(text)):
            return text
    elif not parsed.scheme and not text.startswith(("/", "#")):
        path = text.split("#", 1)[0]
        if _FILE_NAME.match(path) and ".." not in path.split("/"):
            return text
    raise PydanticCustomError(
        "url",
        "expected a web address (https:// or http://), a `mailto:` address or a path inside the course "
        "(relative to the content folder, e.g. `media/handout.pdf`), found {found}",
        {"found": describe(value)},
    )


LinkUrl = Annotated[str, BeforeValidator(_as_text), AfterValidator(_safety(_link))]
"""A link: http, https, mailto, or a path inside the course."""


def _relative_path(value: Any) -> str:
    text = _as_text(value).strip()
    if not text:
        raise PydanticCustomError("empty_text", "may not be empty", {})
    if text.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", text) or "://" in text:
        raise PydanticCustomError(
            "path", "expected a path relative to the content folder (e.g. `media/diagram.svg`), found {found}", {"found": describe(value)}
        )
    return text.replace("\\", "/")


def _file_name(value: str) -> str:
    if not _FILE_NAME.match(value):
        bad = next(c for c in value if not _FILE_NAME.match(c))
        shown = "a space" if bad == " " else f"`{bad}`" if bad.isprintable() else "a control character"
        raise PydanticCustomError(
            "file_name",
            "a file name under the content folder may hold only letters, digits, `.`, `_`, `-` and `/`, found {char}; rename the file",
            {"char": shown},
        )
    return value


ContentPath = Annotated[str, BeforeValidator(_relative_path), AfterValidator(_safety(_file_name))]

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def _language(value: Any) -> str:
    text = _as_text(value).strip()
    if not _LANGUAGE.match(text):
        raise PydanticCustomError("language", "expected a BCP 47 language tag such as `en` or `fr-CA`, found {found}", {"found": describe(value)})
    return text


LanguageTag = Annotated[str, BeforeValidator(_language)]


def slugify(text: str) -> str:
    """An anchor from a title: lowercase ASCII words joined by dashes (``Think & Share`` -> ``think-share``)."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
