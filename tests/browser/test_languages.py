"""The course in its language, and in several, in a real browser: a Spanish site shows none of our English words
on any page of either view (the catalogue's msgids, scripts' words included); the language selector leads to the
same page in the other language; search finds each language's text and not the other's; the journal is one in
every language; an Arabic course is laid out right to left without overlap."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import ROOT, Site, build, open_session, serve
from playwright.sync_api import Browser, Page

from builder import i18n

FIXTURES = ROOT / "tests" / "fixtures"


def built(tmp_path_factory: pytest.TempPathFactory, name: str, course: str, overlay: str | None = None, language: str | None = None) -> Iterator[Site]:
    """A fixture course copied (the build records translations beside the content), built and served."""
    folder = tmp_path_factory.mktemp(name)
    content = folder / "content"
    shutil.copytree(FIXTURES / course, content)
    if overlay is not None:
        shutil.copytree(FIXTURES / overlay, content, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    if language is not None:
        path = content / "course.yml"
        path.write_text(re.sub(r"^language: .*$", f"language: {language}", path.read_text(encoding="utf-8"), flags=re.MULTILINE), encoding="utf-8")
    build(folder / "site", "--content", str(content))
    with serve(folder / "site") as url:
        yield Site(folder / "site", url)


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from built(tmp_path_factory, "spanish", "spanish")


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from built(tmp_path_factory, "translated", "tiny", "translation-fr")


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from built(tmp_path_factory, "arabic", "tiny", language="ar")


# --- no English word of ours on a Spanish site ---------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)\w|\{\w+\}")
_MARKUP = re.compile(r"<[^>]+>")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def pattern(msgid: str) -> re.Pattern[str] | None:
    """A msgid as it reads on a page: placeholders stand for any text, markup and link targets drop out."""
    text = _LINK.sub(r"\1", msgid)
    pieces = [p.strip() for p in _PLACEHOLDER.split(_MARKUP.sub("\x00", text))]
    literal = [re.escape(p).replace("\x00", ".*?") for p in pieces if p.strip("\x00 ")]
    if not literal:
        return None
    return re.compile(r"(?<!\w)" + r".+?".join(literal) + r"(?!\w)")


# English msgids that are Spanish words too: the catalogue gives them as they are.
SAME_IN_SPANISH = {"Individual", "Video", "Agenda", "%(minutes)d min", "%(hours)d h", "%(hours)d h %(minutes)02d min"}


def english_words(content: Path) -> dict[str, re.Pattern[str]]:
    """The catalogue's English msgids (both forms of a plural) as they read on a page, less the Spanish words among
    them and any that the course's own text has."""
    source_text = " ".join(p.read_text(encoding="utf-8") for p in content.rglob("*.yml"))
    out = {}
    for message in i18n.extract():
        for msgid in [message.id] if isinstance(message.id, str) else list(message.id):
            compiled = pattern(msgid) if msgid and msgid not in SAME_IN_SPANISH else None
            if compiled is not None and not compiled.search(source_text):
                out[msgid] = compiled
    return out


PAGE_TEXT = """() => {
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: node => node.parentElement.closest("script, style, svg") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT
  });
  while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt], [value]")) {
    for (const name of ["aria-label", "title", "placeholder", "alt", "value"]) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join("\\n").replace(/[ \\t\\u00a0]+/g, " ");
}"""


def test_a_spanish_site_shows_no_english_word_of_ours_on_any_page(browser: Browser, spanish_site: Site) -> None:
    words = english_words(FIXTURES / "spanish")
    assert "Key points" in words and "Your notes" in words and "My journal" in words  # the check has teeth
    pages = spanish_site.pages()
    assert "" in pages and "trainer/" in pages and "journal/" in pages and "trainer/agenda/" in pages
    found: dict[str, list[str]] = {}
    for session in open_session(browser, spanish_site, color_scheme="light"):
        page = session.page
        for path in pages:
            session.goto(path)
            page.wait_for_load_state("load")
            if path == "journal/":
                page.wait_for_selector(".course-journal-tools button, .course-button")
            text = page.evaluate(PAGE_TEXT)
            for msgid, compiled in words.items():
                if compiled.search(text):
                    found.setdefault(path, []).append(msgid)
        # Every word the scripts may show, not only those on screen now, is in Spanish.
        session.goto("bienvenida/")
        english = i18n.script_words()
        untranslated = page.evaluate(
            "english => Object.keys(english).filter(k => JSON.stringify(course.text[k]) === JSON.stringify(english[k]))", english
        )
        same = [k for k in untranslated if i18n.script_text("es")[k] == english[k]]
        assert sorted(set(untranslated) - set(same)) == []
        assert page.locator(".course-journal__label").first.text_content() == "Sus notas"
        assert page.locator(".course-done-toggle").text_content().strip().endswith("He terminado este módulo")
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


# --- several languages ---------------------------------------------------------------------------------------


def choose_language(page: Page, language: str) -> None:
    page.hover(".md-header .md-select")
    with page.expect_navigation():
        page.click(f".md-select__link[hreflang={language}]")


def test_the_selector_leads_to_the_same_page_in_the_other_language(browser: Browser, translated_site: Site) -> None:
    for session in open_session(browser, translated_site, color_scheme="light"):
        page = session.goto("second/")
        assert page.locator("h1").first.text_content().strip().startswith("Second")
        choose_language(page, "fr")
        assert page.url == translated_site.url + "fr/second/"
        assert page.locator("h1").first.text_content().strip().startswith("Deuxième")
        assert page.evaluate("document.documentElement.lang") == "fr"
        choose_language(page, "en")
        assert page.url == translated_site.url + "second/"
        session.goto("fr/trainer/agenda/")
        choose_language(page, "en")
        assert page.url == translated_site.url + "trainer/agenda/"
        session.goto("first-steps/worksheet/")
        choose_language(page, "fr")
        assert page.url == translated_site.url + "fr/first-steps/worksheet/"


def search(page: Page, query: str) -> list[str]:
    """What Material's search lists for ``query``, typed key by key as a reader does."""
    meta = page.locator(".md-search-result__meta")
    page.click(".md-search__input")
    idle = meta.text_content()  # "Type to start searching", in the page's language
    page.fill(".md-search__input", "")
    page.type(".md-search__input", query, delay=20)
    page.wait_for_function("idle => document.querySelector('.md-search-result__meta').textContent !== idle", arg=idle)
    page.wait_for_timeout(300)
    return [item.text_content() or "" for item in page.locator(".md-search-result__item").all()]


def test_search_finds_each_languages_text_and_not_the_others(browser: Browser, translated_site: Site) -> None:
    for session in open_session(browser, translated_site, color_scheme="light"):
        page = session.goto("fr/")
        assert any("ornithorynque" in hit for hit in search(page, "ornithorynque"))
        assert search(page, "Hello") == []
        page = session.goto("")
        assert any("Hello" in hit for hit in search(page, "Hello"))
        assert search(page, "ornithorynque") == []


def test_the_journal_and_progress_are_one_in_every_language(browser: Browser, translated_site: Site) -> None:
    for session in open_session(browser, translated_site, color_scheme="light"):
        page = session.goto("first-steps/")
        field = page.locator("#think-share .course-journal__field, [data-block=think-share] .course-journal__field").first
        field.fill("Une réponse écrite en anglais")
        page.wait_for_timeout(600)
        page.locator(".course-done-toggle").click()
        page = session.goto("fr/first-steps/")
        field = page.locator("[data-block=think-share] .course-journal__field").first
        assert field.input_value() == "Une réponse écrite en anglais"
        assert page.locator(".course-done-toggle").get_attribute("aria-pressed") == "true"
        assert page.locator(".course-journal__label").first.text_content() == "Vos notes"


# --- right to left -------------------------------------------------------------------------------------------

BOXES = """selectors => Object.fromEntries(selectors.map(s => {
  const el = [...document.querySelectorAll(s)].find(e => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden");
  if (!el) return [s, null];
  const r = el.getBoundingClientRect();
  return [s, {left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY}];
}))"""


def overlap(a: dict[str, float], b: dict[str, float]) -> float:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(width, 0) * max(height, 0)


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return inner["left"] >= outer["left"] - 1 and inner["right"] <= outer["right"] + 1


@pytest.mark.parametrize("path", ["first-steps/", "trainer/first-steps/", "journal/"])
def test_an_arabic_course_is_laid_out_right_to_left_without_overlap(browser: Browser, arabic_site: Site, path: str) -> None:
    for session in open_session(browser, arabic_site, color_scheme="light", viewport={"width": 1280, "height": 900}):
        page = session.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("[document.documentElement.lang, document.body.dir]") == ["ar", "rtl"]
        layout = [".md-header", ".md-sidebar--primary .md-sidebar__scrollwrap", ".md-content", ".md-sidebar--secondary .md-sidebar__scrollwrap"]
        widgets = [".course-view-switch", ".course-journal__field", ".course-done-toggle", ".course-print-button", ".course-journal-tools button"]
        boxes = page.evaluate(BOXES, layout + widgets)
        header, nav, content, toc = (boxes[s] for s in layout)
        assert header and nav and content
        # Right to left: the navigation on the right of the content, the table of contents on its left.
        assert nav["left"] >= content["right"] - 1, boxes
        if toc:
            assert toc["right"] <= content["left"] + 1, boxes
            assert overlap(toc, content) == 0 and overlap(toc, nav) == 0
        assert overlap(nav, content) == 0
        assert header["bottom"] <= content["top"] + 1 and header["bottom"] <= nav["top"] + 1
        shown = {s: b for s, b in boxes.items() if s in widgets and b}
        assert shown, "no widget of ours on the page"
        for selector, box in shown.items():
            assert inside(box, content), (selector, box, content)
            assert overlap(box, nav) == 0 and (not toc or overlap(box, toc) == 0), selector
        names = list(shown)
        for i, first in enumerate(names):
            for second in names[i + 1 :]:
                assert overlap(shown[first], shown[second]) == 0, (first, second)
