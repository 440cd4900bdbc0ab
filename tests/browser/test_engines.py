"""The default course's export built by each engine (see ``build_with``), in Chromium: navigation, search, the
journal, progress, the video placeholder and print work on every engine's site.

MkDocs and ProperDocs draw Material's search box in the header; Zensical opens its own search in a dialog
(in a shadow root) from a Search button: the tests reach each by its roles and say which is which.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import MODULE_COUNT, VIDEO_MODULE, Session, Site, open_session, serve
from playwright.sync_api import Browser, Page, expect

from tests.test_engines import build_with

ENGINES = ["mkdocs", "properdocs", "zensical"]
DIALOG_SEARCH = {"zensical"}  # engines whose search is a dialog of their own, not Material's search box

# A word only a facilitator note has (module 11's "apologising at length"), and one participants read too.
TRAINER_WORD = "apologising"
PARTICIPANT_WORD = "genogram"
JOURNAL = f'.course-journal[data-module="{VIDEO_MODULE}"][data-prompt="1"] textarea'
TOGGLE = "I have finished this module"


@pytest.fixture(scope="module", params=ENGINES)
def engine_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site]]:
    root: Path = tmp_path_factory.mktemp(f"engine-{request.param}") / "site"
    build_with(request.param, root)
    with serve(root) as url:
        yield request.param, Site(root, url)


@pytest.fixture
def engine_session(browser: Browser, engine_site: tuple[str, Site]) -> Iterator[tuple[str, Session]]:
    engine, site = engine_site
    sessions = open_session(browser, site, color_scheme="light")
    yield engine, next(sessions)
    next(sessions, None)  # closes the context; a JavaScript error on any page fails the test


def search(page: Page, engine: str, word: str) -> list[str]:
    """Type ``word`` into the site's search; the addresses of the results (none: an empty list)."""
    if engine in DIALOG_SEARCH:
        page.get_by_role("button", name="Search").first.click()
        page.get_by_role("combobox", name="Search").fill(word)
        status = page.get_by_role("dialog", name="Search").get_by_role("status")
        expect(status).to_have_text(re.compile(r"results?$", re.I))
        links = page.get_by_role("listbox", name="Search results").get_by_role("option")
    else:
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").fill(word)
        page.locator("input.md-search__input").press("End")  # Material searches on a key, with the whole word there
        expect(page.locator(".md-search-result__meta")).to_have_text(re.compile("matching document", re.I))
        links = page.locator(".md-search-result__link")
    return links.evaluate_all("links => links.map(link => link.href)")  # type: ignore[no-any-return]  # at once: the list is redrawn


def test_navigation_and_the_other_view(engine_session: tuple[str, Session]) -> None:
    engine, session = engine_session
    page = session.goto("")
    expect(page.locator("h1")).to_have_text(re.compile("Building a Therapeutic Alliance"))
    page.get_by_role("navigation", name="Navigation").get_by_role("link", name="Culture, race and the alliance").click()
    expect(page.locator("h1")).to_have_text(re.compile("Culture, race and the alliance"))
    assert page.url == session.site.url + f"{VIDEO_MODULE}/"
    page.locator(".course-pager__next").click()
    expect(page.locator("h1")).to_have_text(re.compile("Talking about race"))
    # Participant pages do not advertise the trainer view; its pages link back to the participant view.
    expect(page.get_by_role("link", name="Trainer view of this page")).to_have_count(0)
    page = session.goto("trainer/talking-about-race/")
    expect(page.locator(".course-view-switch__badge")).to_have_text("Trainer view")
    expect(page.locator(".admonition.trainer").first).to_be_visible()
    page.get_by_role("link", name="Participant view of this page").click()
    assert page.url == session.site.url + "talking-about-race/"


def test_participant_search_finds_no_trainer_text(engine_session: tuple[str, Session]) -> None:
    engine, session = engine_session
    page = session.goto("welcome/")
    assert search(page, engine, TRAINER_WORD) == []
    page = session.goto("welcome/")
    found = search(page, engine, PARTICIPANT_WORD)
    assert found and all("/trainer/" not in url for url in found)
    assert any(f"{VIDEO_MODULE}/" in url for url in found), found
    page = session.goto("trainer/barriers/")
    found = search(page, engine, TRAINER_WORD)
    assert any("/trainer/barriers/" in url for url in found), found


def test_journal_and_progress_survive_a_reload(engine_session: tuple[str, Session]) -> None:
    _engine, session = engine_session
    page = session.goto(f"{VIDEO_MODULE}/")
    page.locator(JOURNAL).click()
    page.keyboard.type("Kept in this browser.")
    page.get_by_role("button", name=TOGGLE).click()
    page.reload()
    expect(page.locator(JOURNAL)).to_have_value("Kept in this browser.")
    expect(page.get_by_role("button", name=TOGGLE)).to_have_attribute("aria-pressed", "true")
    page = session.goto("")
    expect(page.locator(".course-progress-summary")).to_contain_text(f"1 of {MODULE_COUNT} modules done")
    expect(page.locator(f'.course-status[data-module="{VIDEO_MODULE}"]')).to_have_text("✓ Done")
    expect(page.locator(".md-nav--primary .course-nav-done")).to_have_count(1)
    page = session.goto("journal/")
    expect(page.locator(JOURNAL)).to_have_value("Kept in this browser.")


def test_video_is_a_placeholder_until_played(engine_session: tuple[str, Session]) -> None:
    _engine, session = engine_session
    page = session.goto(f"{VIDEO_MODULE}/")
    page.wait_for_load_state("networkidle")
    play = page.get_by_role("button", name="Play video: Parenting Around the World (loads YouTube)")
    expect(play).to_be_visible()
    expect(page.locator("iframe")).to_have_count(0)
    assert session.network.off_site() == []
    with page.expect_request(lambda request: request.url.startswith("https://www.youtube-nocookie.com/embed/Nsn2B4IGKo8")):
        play.click()
    expect(page.locator(".course-video iframe")).to_have_attribute("title", "Parenting Around the World")


def test_print(engine_session: tuple[str, Session]) -> None:
    _engine, session = engine_session
    page = session.goto(f"{VIDEO_MODULE}/")
    page.locator(JOURNAL).fill("To be printed.")
    page.emulate_media(media="print")
    for hidden in (".md-sidebar--primary", ".md-header", ".course-pager", ".course-view-switch", ".course-video__play", JOURNAL):
        expect(page.locator(hidden).first).to_be_hidden()
    printed = page.locator(f'.course-journal[data-module="{VIDEO_MODULE}"][data-prompt="1"] .course-journal__print')
    expect(printed).to_have_text("To be printed.")
    expect(page.locator(".course-block--video details p").first).to_be_visible()
