"""axe-core over every page of both views of the default course, in the light palette and, for colour
contrast, in the dark one; and the page language.

The pages are found by walking the built site's index.html files (MkDocs leaves sitemap.xml empty
when mkdocs.yml has no site_url). Before the sweep, one module is marked done and one answer written,
so the states those add (pressed toggle, done marks, filled fields) are checked too. The two sweeps
take most of the suite's time; ``-k "not axe"`` leaves them out while working on something else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import VIDEO_MODULE, Session, Site, open_session
from playwright.sync_api import Browser, Page, expect

SERIOUS = ("serious", "critical")
EXPECTED_PAGES = (
    "",
    "journal/",
    "print/",
    "references/",
    f"{VIDEO_MODULE}/",
    f"{VIDEO_MODULE}/worksheet/",
    "trainer/",
    "trainer/agenda/",
    "trainer/facilitator-guide/",
    "trainer/print/",
    "trainer/references/",
    f"trainer/{VIDEO_MODULE}/",
    f"trainer/{VIDEO_MODULE}/worksheet/",
    "sessions/full-day/",
    "trainer/sessions/full-day/",
)


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def dark_session(browser: Browser, site: Site) -> Iterator[Session]:
    yield from open_session(browser, site, color_scheme="dark")


def seed(session: Session) -> None:
    page = session.goto(f"{VIDEO_MODULE}/")
    page.locator(".course-journal textarea").first.fill("An answer, so that filled fields are checked too.")
    page.get_by_role("button", name="I have finished this module").click()


def serious_violations(axe: Axe, page: Page, options: dict[str, Any]) -> list[tuple[str, str]]:
    """(rule, where on the page) for each serious or critical violation."""
    results = axe.run(page, options=options).response
    return [
        (
            f"{violation['id']} ({violation['impact']}): {violation['help']}",
            "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5]),
        )
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
    ]


def sweep(axe: Axe, session: Session, options: dict[str, Any], scheme: str) -> dict[str, list[str]]:
    """Each serious violation found, with the pages it was found on."""
    failures: dict[str, list[str]] = {}

    def check(page: Page, where: str) -> None:
        for rule, targets in serious_violations(axe, page, options):
            failures.setdefault(rule, []).append(f"{where} at {targets}")

    for path in session.site.pages():
        page = session.goto(path)
        assert page.evaluate("document.body.dataset.mdColorScheme") == scheme, path
        check(page, path or "(home)")
    # A refused import shows a warning: its colours hold too.
    page = session.goto("journal/")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import a JSON file…").click()
    chooser.value.set_files(files=[{"name": "bad.json", "mimeType": "application/json", "buffer": b"not json"}])
    expect(page.locator(".course-journal-tools__message.course-warning")).to_be_visible()
    check(page, "journal/ (after a refused import)")
    return failures


def test_every_page_is_found(site: Site) -> None:
    pages = site.pages()
    missing = [path for path in EXPECTED_PAGES if path not in pages]
    assert not missing, f"pages not found in the built site: {missing}"
    assert len(pages) > 40


def test_axe_no_serious_violations_in_light_palette(axe: Axe, session: Session) -> None:
    seed(session)
    failures = sweep(axe, session, {"resultTypes": ["violations"]}, "default")
    assert not failures, "axe found serious or critical violations:\n" + json.dumps(failures, indent=2)


def test_axe_colour_contrast_in_dark_palette(axe: Axe, dark_session: Session) -> None:
    seed(dark_session)
    options = {"runOnly": {"type": "rule", "values": ["color-contrast"]}, "resultTypes": ["violations"]}
    failures = sweep(axe, dark_session, options, "slate")
    assert not failures, "axe found colour contrast failures in the dark palette:\n" + json.dumps(failures, indent=2)


def test_page_language_is_the_course_language(session: Session, site: Site) -> None:
    for path in ("", f"{VIDEO_MODULE}/", "journal/", "trainer/agenda/"):
        page = session.goto(path)
        assert page.evaluate("document.documentElement.lang") == "en", path
    assert Path(site.root / "index.html").read_text(encoding="utf-8").count('<html lang="en"') == 1
