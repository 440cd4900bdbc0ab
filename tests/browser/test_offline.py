"""The offline package: unzipped to a folder and opened from disk (file://), with every other request blocked.

Links open pages (never a folder listing), search finds and opens a module, the journal and progress are
kept across reloads, videos say why they cannot play, and no page asks anything of another host.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_support import COURSE, MODULE_COUNT, ROOT, VIDEO_MODULE
from playwright.sync_api import Browser, BrowserContext, Page, expect

TOGGLE = "I have finished this module"
JOURNAL = f'.course-journal[data-module="{VIDEO_MODULE}"][data-prompt="1"] textarea'
HREF = re.compile(r'<a\b[^>]*?\shref="([^"]*)"')


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "builder", "package", "offline", "--dist", str(dist)], cwd=ROOT, check=True)
    return dist / f"{COURSE}-offline.zip"


@pytest.fixture(scope="module")
def unpacked(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("unzipped") / "my course"  # a space, as in a real download folder
    with zipfile.ZipFile(package) as archive:
        archive.extractall(root)
    return root


class Offline:
    """A fresh browser context on the unzipped package: every request not to a file is aborted and recorded."""

    def __init__(self, browser: Browser, root: Path):
        self.root = root
        self.context: BrowserContext = browser.new_context(color_scheme="light")
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str = "index.html") -> Page:
        self.page.goto((self.root / path).as_uri())
        return self.page

    def off_disk(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(("file:", "blob:", "data:"))]

    def where(self) -> Path:
        url = urlsplit(self.page.url)
        assert url.scheme == "file", self.page.url
        return Path(unquote(url.path))


@pytest.fixture
def offline(browser: Browser, unpacked: Path) -> Iterator[Offline]:
    session = Offline(browser, unpacked)
    yield session
    session.context.close()
    assert not session.errors, f"JavaScript errors on the page: {session.errors}"
    assert session.off_disk() == [], f"requests off the disk: {session.off_disk()}"


def test_the_participant_package_holds_the_participant_view_only(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        pages = [archive.read(n).decode("utf-8") for n in names if n.endswith(".html")]
    assert "index.html" in names and f"{VIDEO_MODULE}/index.html" in names
    assert not any(n.startswith("trainer/") for n in names)
    assert not any("course-view-switch" in page or 'data-view="trainer"' in page for page in pages)
    assert "search/search_index.js" in names and "search/search_worker.js" in names
    assert "assets/javascripts/lms.js" not in names
    # Nothing from a CDN: no page names another host in a script or a stylesheet.
    for page in pages:
        assert not re.search(r'<(?:script|link)\b[^>]*(?:src|href)="(?:https?:)?//', page)


def links_to_files(root: Path) -> int:
    """How many links of the pages below ``root`` lead to a file of it; a link to anything else fails."""
    checked = 0
    for page in root.rglob("*.html"):
        for href in HREF.findall(page.read_text(encoding="utf-8")):
            if href.startswith("#") or re.match(r"^[a-z]+:", href):
                continue
            target = (page.parent / unquote(href.split("#")[0].split("?")[0])).resolve()
            assert target.is_file(), f"{page.relative_to(root)} links to {href}, which is not a file of the package"
            checked += 1
    return checked


def test_every_link_in_every_page_opens_a_file_of_the_package(unpacked: Path) -> None:
    assert links_to_files(unpacked) > 500


def test_the_trainers_copy_holds_both_views_and_every_link_opens_a_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "builder", "package", "offline", "--view", "trainer", "--content", str(ROOT / "tests" / "fixtures" / "tiny"),
         "--dist", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    [package] = tmp_path.glob("*.zip")
    assert package.name.endswith("-trainer-offline.zip")
    root = tmp_path / "unzipped"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(root)
    assert (root / "index.html").is_file() and (root / "trainer" / "index.html").is_file()
    assert (root / "trainer" / "search" / "search_index.js").is_file() and (root / "trainer" / "search" / "search_worker.js").is_file()
    assert "course-view-switch" in (root / "trainer" / "index.html").read_text(encoding="utf-8")
    assert links_to_files(root) > 20


def test_navigate_by_links_from_disk(offline: Offline) -> None:
    page = offline.open()
    expect(page.locator(".course-progress-summary")).to_contain_text(f"0 of {MODULE_COUNT} modules done")
    page.get_by_role("navigation", name="Navigation").get_by_role("link", name="Boundaries and the alliance").click()
    expect(page.locator("h1")).to_have_text(re.compile("Boundaries"))
    assert offline.where() == offline.root / "boundaries" / "index.html"
    # The footer's "next" link, then the header's link home.
    page.locator("a.md-footer__link--next").click()
    expect(page.locator(".course-page")).to_have_attribute("data-page", "module")
    assert offline.where().name == "index.html" and offline.where().parent.parent == offline.root
    page.locator("a.md-header__button.md-logo").click()
    assert offline.where() == offline.root / "index.html"
    # The link the page's script makes ("Start with the first module") opens the module's page too.
    page.locator("a.course-continue").click()
    expect(page.locator(".course-page")).to_have_attribute("data-page", "module")
    assert offline.where().name == "index.html"


def test_search_finds_and_opens_a_module_from_disk(offline: Offline) -> None:
    page = offline.open()
    field = page.locator("input.md-search__input")
    field.click()
    field.fill("boundary")
    # Material reads the field on a key or when its index becomes ready: fill() alone types no key, so when the
    # index was ready first the query went unread (one run in fifteen here). A reader's typing has keys.
    field.press("End")
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible(timeout=15000)
    expect(page.locator(".md-search-result__meta")).to_contain_text(re.compile(r"\d+ matching document"))
    # The index came from the inlined script and the worker from the package's blob, not from a server.
    assert page.evaluate("typeof __index === 'object' && typeof window.__courseSearchWorker.source === 'string'")
    results.first.click()
    expect(page.locator(".course-page")).to_have_attribute("data-page", re.compile("module|references|journal|index"))
    assert offline.where().name == "index.html"
    assert page.locator("h1").count() == 1


def test_journal_and_progress_are_kept_from_disk(offline: Offline) -> None:
    page = offline.open(f"{VIDEO_MODULE}/index.html")
    page.locator(JOURNAL).fill("Written with no web server at all.")
    page.reload()
    expect(page.locator(JOURNAL)).to_have_value("Written with no web server at all.")
    page.get_by_role("button", name=TOGGLE).click()
    expect(page.get_by_role("button", name=TOGGLE)).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.get_by_role("button", name=TOGGLE)).to_have_attribute("aria-pressed", "true")
    # The journal page (reached by the link under the first field) lists the answer; home counts the module.
    page.get_by_role("link", name="My journal").first.click()
    assert offline.where() == offline.root / "journal" / "index.html"
    expect(page.locator(JOURNAL)).to_have_value("Written with no web server at all.")
    page = offline.open()
    expect(page.locator(".course-progress-summary")).to_contain_text(f"1 of {MODULE_COUNT} modules done")
    stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('course-'))")
    assert f"course-progress/{COURSE}" in stored


def test_a_video_says_why_it_cannot_play_and_offers_its_link_and_transcript(offline: Offline) -> None:
    page = offline.open(f"{VIDEO_MODULE}/index.html")
    figure = page.locator(".course-video").first
    expect(figure.locator(".course-video__play")).to_have_count(0)
    expect(figure.locator("iframe")).to_have_count(0)
    expect(figure.locator(".course-video__offline-title")).to_have_text("Parenting Around the World")
    expect(figure.locator(".course-video__offline")).to_contain_text("cannot play here")
    link = figure.locator("a.course-video__link")
    expect(link).to_have_attribute("href", re.compile(r"^https://www\.youtube\.com/"))
    transcript = page.locator("details:has(summary:text('Transcript'))").first
    expect(transcript).to_have_attribute("open", "")


def test_print_page_opens_with_its_button(offline: Offline) -> None:
    page = offline.open(f"{VIDEO_MODULE}/index.html")
    page.locator(JOURNAL).fill("An answer for the worksheet.")
    page.get_by_role("link", name=re.compile("worksheet", re.IGNORECASE)).first.click()
    assert offline.where().name == "index.html" and offline.where().parent.name == "worksheet"
    expect(page.get_by_role("button", name="Print this worksheet")).to_be_visible()
    expect(page.locator(".course-journal__answer-text").first).to_have_text("An answer for the worksheet.")
