"""Fixtures of the browser tests of the participant's side of the site (journal, progress, video, print, keyboard, axe).

The default course is built once for the session with ``python -m builder build`` and served over
HTTP from a thread; the tiny test course is built too when a test needs it. One Chromium (Debian's,
at /usr/bin/chromium; ``make chromium`` installs it) runs the whole session, and every test gets a
fresh browser context, so storage starts empty. Requests to any host but the local site are
recorded and aborted: nothing leaves the machine.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, Session, Site, built_and_served, open_session
from playwright.sync_api import Browser, Playwright, sync_playwright


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from built_and_served(tmp_path_factory.mktemp("default-course"))


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from built_and_served(tmp_path_factory.mktemp("tiny-course"), "tiny")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}, and it is missing. "
            "Install it with `make chromium` (Debian's chromium package); the tests never download a browser.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def session(browser: Browser, site: Site) -> Iterator[Session]:
    """The default course in a fresh context (empty storage), light palette."""
    yield from open_session(browser, site, color_scheme="light")


@pytest.fixture
def other_session(browser: Browser, site: Site) -> Iterator[Session]:
    """A second fresh context on the default course: another browser, as far as storage goes."""
    yield from open_session(browser, site, color_scheme="light")


@pytest.fixture
def tiny_session(browser: Browser, tiny_site: Site) -> Iterator[Session]:
    yield from open_session(browser, tiny_site, color_scheme="light")
