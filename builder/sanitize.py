"""The one choke point for HTML: every page's HTML, after Markdown, passes this allowlist before it is published.

What content may become is what our templates (``theme/blocks``, ``theme/pages``) and the Markdown extensions we
enable (attr_list, md_in_html, admonition, tables, pymdownx.details, pymdownx.superfences, toc with permalinks)
produce: those tags, those attributes, those classes, links to http, https, mailto or inside the course, and
media from inside the course only. Everything else is dropped, whatever the input checks let through, so safety
does not depend on them. The sanitizer is nh3 (ammonia): it parses as a browser does and writes well-formed HTML
back, so no quoting trick survives it. No MkDocs here: every output (the MkDocs plugin, exports, packages) calls
:func:`sanitize`.

This file is also the export's sanitizer: ``course export markdown`` copies it as it is beside each exported
``mkdocs.yml`` (as ``course_sanitize.py``) and names it among the Markdown extensions, so that MkDocs, ProperDocs
and Zensical, none of which runs the plugin, pass every page through the same allowlist (:class:`Extension`). It
therefore imports nothing of the builder.
"""

from __future__ import annotations

import html
import re
from typing import Any

import nh3
from markdown import Markdown
from markdown.extensions import Extension as MarkdownExtension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup
from pygments.token import STANDARD_TYPES

# Tags: the blocks' and pages' own markup, what the Markdown extensions write, and plain inline formatting.
TAGS = frozenset(
    {
        # Markdown, tables, admonitions, details, code blocks, permalinks
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "code", "pre", "blockquote",
        "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "img",
        "details", "summary", "div", "span",
        # raw inline HTML an author may write in prose
        "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "kbd", "abbr", "q", "cite", "dl", "dt", "dd",
        # our templates: block frames, figures, the video placeholder and its icon, the pager, the print page
        "figure", "figcaption", "nav", "section", "video", "source", "track", "button", "svg", "rect", "path",
        # knowledge checks (blocks/knowledge_check.md.j2) and commentary (blocks/_commentary.md.j2)
        "fieldset", "legend", "input", "label", "aside",
    }
)  # fmt: skip

# Attributes per tag ("*": every tag). URL attributes (href, src) and the ones checked by value are filtered below.
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir", "aria-label", "aria-hidden"},
    "a": {"href", "download"},  # download: a session's calendar file
    "img": {"src", "alt", "width", "height"},
    "video": {"controls"},
    "source": {"src"},
    "track": {"src", "srclang", "label", "default"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style"},
    "ol": {"start"},
    "details": {"open"},
    "svg": {"viewBox", "focusable"},
    "rect": {"width", "height", "rx"},
    "path": {"d", "fill"},
    # read by the scripts: the journal boxes, the progress summary and statuses, the video placeholder, what room
    # mode projects (trainer view), where a printout's print button goes
    "div": {"data-course", "data-module", "data-block", "data-prompt", "data-label", "data-modules",
            "data-course-present", "data-duration", "data-grouping"},
    "p": {"data-course-print-label"},
    "span": {"data-course", "data-module"},
    "figure": {"data-provider", "data-video-id", "data-title"},
    "button": {"data-embed-src", "hidden"},
    # read by checks.js: a question, its answer key (hidden, out of search), the results on My journal and home
    "fieldset": {"data-course", "data-module", "data-block", "data-question", "data-multiple"},
    "input": {"name", "value"},
    "label": {"for"},
    "aside": {"hidden", "data-search-exclude", "data-correct", "data-block"},
    "li": {"data-choice"},
}
ATTRIBUTES["div"] |= {"data-question", "data-choice", "data-checks", "data-pass-mark"}

# Attributes allowed with these values only.
ATTRIBUTE_VALUES: dict[str, dict[str, set[str]]] = {
    "button": {"type": {"button"}},
    "img": {"loading": {"lazy", "eager"}},
    "video": {"preload": {"metadata", "none"}},
    "track": {"kind": {"captions", "subtitles"}},
    "input": {"type": {"radio", "checkbox"}},
    "div": {"aria-live": {"polite"}},
}

ADMONITION_TYPES = frozenset(
    {
        # Material's types and their aliases (admonition and pymdownx.details write the type as a class)
        "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check", "done",
        "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error",
        "bug", "example", "quote", "cite",
        # the course's own (course.css)
        "facilitator", "trainer", "reading",
    }
)  # fmt: skip

_BLOCK_TYPES = (
    "text", "think-and-share", "reflective-activity", "group-discussion", "video", "quote", "callout", "cards",
    "compare", "image", "reading", "knowledge-check",
)  # fmt: skip

# Pygments' token classes, which pymdownx.superfences' highlighting writes on the spans of a code block.
_PYGMENTS = {name for name in STANDARD_TYPES.values() if name} | {"hll"}

CLASSES = frozenset(
    {
        # theme/blocks and theme/pages
        "course-block", *(f"course-block--{kind}" for kind in _BLOCK_TYPES),
        "course-block--trainer-only", "course-block--participant-only",
        "course-meta", "course-sources", "course-cite", "course-prompt", "course-journal", "course-journal--worksheet",
        "course-writing-space", "course-journal-tools", "course-summary", "course-subtitle", "course-progress-summary",
        "course-print-links", "course-module-list", "course-status", "course-module-end", "course-module-tools",
        "course-worksheet-link", "course-pager", "course-pager__previous", "course-pager__next", "course-print-title",
        "course-print-module", "course-reference", "course-reference__number", "course-reference__cited",
        "course-quote__attribution", "course-image", "grid", "cards", "course-cards", "course-cards__label",
        "course-compare", "course-video", "course-video__player", "course-video__frame", "course-video__play",
        "course-video__icon", "course-video__label", "course-video__notice", "course-video__caption",
        "course-video__link", "course-worksheet-intro",
        # sessions, the agenda and the facilitator guide (pages/session, _module_rows, _module_guide)
        "course-print-action", "course-session-links", "course-session-calendar", "course-schedule-break",
        "course-schedule-end", "course-schedule-end--over", "course-schedule-other", "course-runsheet-break",
        "course-guide-module", "course-guide-activity", "course-guide-label", "course-guide-skipped",
        # knowledge checks and commentary (checks.css)
        "course-button", "course-check", "course-check--key", "course-check__question", "course-check__hint",
        "course-check__choices", "course-check__input", "course-check__label", "course-check__actions",
        "course-check__check", "course-check__retry", "course-check__result", "course-check__key",
        "course-check__feedback", "course-check__explanation", "course-check__explanation-label", "course-check__choice",
        "course-check__choice--correct", "course-check__choice--wrong", "course-check__verdict", "course-commentary",
        "course-commentary__label", "course-pass-mark", "course-checks-summary", "course-check-record",
        "course-check-record__question", "course-check-record__choices", "course-check-record__result",
        # admonition, pymdownx.details, toc's permalinks, superfences' code blocks
        "admonition", "admonition-title", *ADMONITION_TYPES, "headerlink", "highlight", "highlighttable", "linenos",
        *_PYGMENTS,
    }
)  # fmt: skip
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#-]{1,40}")  # a fenced block's language, as superfences names it

URL_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_TEXT_ALIGN = re.compile(r"^text-align:\s*(left|right|center);?$")
# Browsers drop these anywhere in a URL before reading it (tab, newline), and ignore leading spaces and controls.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def url_allowed(value: str, *, remote: bool) -> bool:
    """A link (``remote``: http, https, mailto, or a path inside the site) or a media address (a path only).

    A path is relative, or absolute on this host; ``//host`` and ``/\\host``, which browsers read as another host,
    are not paths.
    """
    url = _URL_IGNORED.sub("", html.unescape(value))
    scheme = _SCHEME.match(url)
    if scheme:
        return remote and scheme.group(1).lower() in URL_SCHEMES
    return not url.replace("\\", "/").startswith("//")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [name for name in value.split() if name in CLASSES or _LANGUAGE_CLASS.fullmatch(name)]
        return " ".join(kept) or None
    if attribute in ("href", "src"):
        return value if url_allowed(value, remote=attribute == "href") else None
    if attribute == "id":
        # Material's own elements are found by ids in its namespace (`__config`, `__search`...): content keeps out.
        return None if value.startswith("_") else value
    if attribute == "style":
        return value if _TEXT_ALIGN.match(value.strip()) else None  # the tables extension aligns columns so
    if attribute == "data-embed-src":  # course.js checks it too before it loads anything
        return value if value.startswith(("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/")) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    tag_attribute_values={tag: {name: set(values) for name, values in by.items()} for tag, by in ATTRIBUTE_VALUES.items()},
    attribute_filter=_filter,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,  # no `target` is allowed, so no link can reach back to this page
    strip_comments=True,
)


def sanitize(fragment: str) -> str:
    """``fragment`` with only what the allowlist names: the HTML a page may carry."""
    return _CLEANER.clean(fragment)


def plain_text(value: str) -> Markup:
    """An escaped title (HTML text, as MkDocs keeps page and heading titles) made safe for every place a template puts
    it, attributes included: tags dropped, entities read, then everything escaped, quotes too. Being markup, it is
    not escaped a second time by templates that escape."""
    return Markup(html.escape(Markup(value).striptags()))


class _Sanitize(Postprocessor):
    def run(self, text: str) -> str:
        return sanitize(text)


class _SafeToc(Treeprocessor):
    """After ``toc``: the headings' titles it hands the engine for the table of contents, as safe text (the
    headings themselves are in the page, which the postprocessor cleans)."""

    def run(self, root: Any) -> None:
        tokens = list(getattr(self.md, "toc_tokens", []))
        while tokens:
            token = tokens.pop()
            for key in ("name", "html", "data-toc-label"):
                if token.get(key):
                    token[key] = str(plain_text(token[key]))
            tokens += token.get("children", [])


class Extension(MarkdownExtension):
    """The sanitizer as a Markdown extension: the last step of every conversion, whichever engine runs it."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(_Sanitize(md), "course_sanitize", -100)  # after raw HTML is put back: the last
        md.treeprocessors.register(_SafeToc(md), "course_safe_toc", 4)  # toc's is 5


def makeExtension(**kwargs: Any) -> Extension:  # noqa: N802 (the name Markdown looks for)
    return Extension(**kwargs)
