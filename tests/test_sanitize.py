"""The choke point for HTML (builder/sanitize.py) and the escaping of plain text, without a browser.

The allowlist keeps everything our templates and Markdown extensions make of the default course, and nothing an
attacker adds; the built site's pages, titles and search index hold only what passed it, with the input checks
off; link and file-name fields take only what is safe.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from pydantic import TypeAdapter, ValidationError

from builder import fields, plugin, site
from builder.cli import build_site
from builder.render import Renderer
from builder.resolve import resolve
from builder.sanitize import plain_text, sanitize, url_allowed
from builder.validate import CourseLoader, load_course
from tests.hostile.cases import CASES, Case, html_cases, write_course

from .conftest import REPO


class Inventory(HTMLParser):
    """Every start tag with its attributes, and every piece of text, in order."""

    def __init__(self, html: str):
        super().__init__()
        self.items: list[tuple[str, object]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append((tag, sorted((name, value or "") for name, value in attrs)))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.items.append(("#text", data.strip()))


def page_html(text: str) -> str:
    """A generated page's Markdown as HTML, with the extensions the site uses."""
    body = text.split("\n---\n", 1)[1]
    return markdown.markdown(body, extensions=list(site.REQUIRED_EXTENSIONS), extension_configs=site.REQUIRED_EXTENSIONS)


@pytest.fixture(scope="module")
def default_pages() -> list[str]:
    renderer = Renderer(resolve(load_course(REPO / "content")))
    return [page_html(page.markdown) for pages in renderer.site().values() for page in pages if page.path.endswith(".md")]


def test_the_allowlist_keeps_all_the_default_course_makes(default_pages: list[str]) -> None:
    assert len(default_pages) > 40
    for html in default_pages:
        assert Inventory(sanitize(html)).items == Inventory(html).items


def test_code_blocks_tables_and_details_pass_as_the_extensions_write_them() -> None:
    html = page_html(
        '---\n---\n```python\nx = 1  # one\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n???+ tip "More"\n    Inside.\n\n'
        "<kbd>Ctrl</kbd> <mark>marked</mark> H<sub>2</sub>O [mail](mailto:a@example.org) [here](#x) [page](../x/)\n"
    )
    assert 'class="language-python highlight"' in html or 'class="highlight"' in html
    assert Inventory(sanitize(html)).items == Inventory(html).items


@pytest.mark.parametrize("case", html_cases(), ids=lambda case: case.name)
def test_nothing_of_an_attack_passes(case: Case) -> None:
    html = page_html("---\n---\n" + (case.block or {})["body"])
    out = sanitize(html)
    for tag, attrs in Inventory(out).items:
        if tag == "#text":
            continue
        assert tag not in ("script", "style", "iframe", "object", "embed", "form", "base", "meta", "link", "math", "animate")
        for name, value in attrs:  # type: ignore[attr-defined]
            assert not name.startswith("on") and name not in ("style", "srcset", "poster", "target", "formaction", "ping")
            if name in ("href", "src"):
                assert url_allowed(value, remote=name == "href"), (name, value)
                assert not re.match(r"\s*(java|vb)script|data:", value, re.IGNORECASE)
            if name == "id":
                assert not value.startswith("_")


@pytest.mark.parametrize(
    ("url", "remote", "allowed"),
    [
        ("https://doi.org/10.1016/S0272-7358(02)00146-0", True, True),
        ("mailto:team@example.org", True, True),
        ("../media/handout.pdf#page=2", True, True),
        ("#key-points", True, True),
        ("/absolute/path/", True, True),
        ("javascript:alert(1)", True, False),
        ("java\tscript:alert(1)", True, False),
        ("jav&#x09;ascript:alert(1)", True, False),
        (" JAVASCRIPT:alert(1)", True, False),
        ("data:text/html,x", True, False),
        ("//evil.example/x", True, False),
        ("/\\evil.example/x", True, False),
        ("https://evil.example/pixel.png", False, False),
        ("../media/diagram.svg", False, True),
    ],
)
def test_which_addresses_a_link_or_a_media_file_may_have(url: str, remote: bool, allowed: bool) -> None:
    assert url_allowed(url, remote=remote) is allowed


def test_plain_text_is_escaped_once_for_text_and_attributes() -> None:
    title = plain_text("Tom &amp; &quot;Jerry&quot; &lt;/title&gt;&lt;script&gt;")
    assert title == "Tom &amp; &quot;Jerry&quot; &lt;/title&gt;&lt;script&gt;"
    assert plain_text(title) == title
    assert plain_text("<b>bold</b> words") == "bold words"


@pytest.mark.parametrize(
    "url", ["https://doi.org/10.1016/S0272-7358(02)00146-0", "http://example.org/a?b=c&d=e", "mailto:a@example.org", "media/handout.pdf#page=2"]
)
def test_good_links_are_accepted(url: str) -> None:
    assert TypeAdapter(fields.LinkUrl).validate_python(url) == url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example/", "../outside.pdf", "https://example.org/a b", "https://x.org/){onclick=x}", "ftp://x.org/"]
)
def test_bad_links_are_refused(url: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(fields.LinkUrl).validate_python(url)


# Payloads that reach the search index: headings and text of a text block, an admonition's title, and a heading
# whose id would take one of Material's own (`__search`): the sanitizer drops such ids, so the index shows whether it
# was built from the page before or after the sanitizer.
INDEXED = [
    *(
        next(case for case in CASES if case.name == name)
        for name in ("img-onerror", "heading-html", "admonition-title", "attr-list-paragraph", "block-title", "module-title-closes-title")
    ),
    Case("clobber", block={"type": "text", "body": "## Clobber {: #__search }\n\nSearch me."}),
]


def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cases: list[Case]) -> Path:
    monkeypatch.setattr(fields, "SAFETY_CHECKS", False)
    monkeypatch.setattr(plugin, "LOADER", CourseLoader())
    content = write_course(tmp_path, cases)
    build_site(str(REPO / "mkdocs.yml"), tmp_path / "site", content)
    return tmp_path / "site"


def unsafe(docs: list[dict[str, str]]) -> list[str]:
    """Live markup in the index (a tag with a handler, a script), and locations at ids the sanitizer drops.
    Escaped text (`&lt;img onerror=...&gt;`) is text."""
    text = " ".join(doc["title"] + " " + doc["text"] for doc in docs)
    return re.findall(r"<[a-z][^>]*\son[a-z]+=[^>]*>|<script\b", text) + [d["location"] for d in docs if "#_" in d["location"]]


def test_the_search_index_holds_only_sanitized_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build(tmp_path, monkeypatch, INDEXED)
    for index in (site / "search" / "search_index.json", site / "trainer" / "search" / "search_index.json"):
        docs = json.loads(index.read_text())["docs"]
        assert "Case img-onerror" in json.dumps(docs) and "Search me." in json.dumps(docs)
        assert not unsafe(docs), index
    page = (site / "module-title-closes-title" / "index.html").read_text()
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(&#39;module-title-closes-title&#39;)&lt;/script&gt; - Hostile course</title>" in page


def test_without_the_choke_point_the_index_would_differ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above can fail: with the sanitizer taken out, the same course's index points at Material's id."""
    monkeypatch.setattr(plugin, "sanitize", lambda html: html)
    site = build(tmp_path, monkeypatch, INDEXED)
    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    assert unsafe(docs)
