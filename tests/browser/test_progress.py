"""Progress: a module marked done shows on the home page and in the navigation; clear-all resets it."""

from __future__ import annotations

import re

from browser_support import COURSE, MODULE_COUNT, VIDEO_MODULE, Session, instant_navigate
from playwright.sync_api import Page, expect

LAST_MODULE = "boundaries"
TOGGLE = "I have finished this module"


def nav_link(page: Page, module: str) -> str:
    """The text of the primary navigation's link to ``module``, screen-reader text included."""
    return page.evaluate(
        """module => {
            const path = new URL(module + "/", window.__md_scope).pathname;
            const link = [...document.querySelectorAll(".md-nav--primary a.md-nav__link")]
                .find(a => !a.closest(".md-nav--secondary") && new URL(a.href).pathname === path);
            return link ? link.textContent.replace(/\\s+/g, " ").trim() : null;
        }""",
        module,
    )


def done_in_nav(page: Page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll(".md-nav--primary a.md-nav__link")]
            .filter(a => a.querySelector(".course-nav-done"))
            .map(a => new URL(a.href).pathname)"""
    )


def test_mark_a_module_done_and_see_it_on_home_and_in_navigation(session: Session) -> None:
    page = session.goto(f"{VIDEO_MODULE}/")
    toggle = page.get_by_role("button", name=TOGGLE)
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert "(done)" not in (nav_link(page, VIDEO_MODULE) or "")

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".course-module-end [role=status]")).to_contain_text("Marked as done")
    link = nav_link(page, VIDEO_MODULE)
    assert link and "✓" in link and "(done)" in link
    assert page.locator(".md-nav--primary .course-nav-done .course-sr-only").first.text_content() == " (done)"
    page.reload()
    expect(page.get_by_role("button", name=TOGGLE)).to_have_attribute("aria-pressed", "true")

    # Open another module last: the home page offers to continue there.
    session.goto(f"{LAST_MODULE}/")
    expect(page.get_by_role("button", name=TOGGLE)).to_have_attribute("aria-pressed", "false")
    page = session.goto("")
    expect(page.locator(f'.course-status[data-module="{VIDEO_MODULE}"]')).to_have_text("✓ Done")
    expect(page.locator(f'.course-status[data-module="{LAST_MODULE}"]')).to_have_text("Last opened")
    expect(page.locator(".course-status--done")).to_have_count(1)
    summary = page.locator(".course-progress-summary")
    expect(summary).to_contain_text(f"1 of {MODULE_COUNT} modules done")
    bar = summary.get_by_role("progressbar")
    expect(bar).to_have_attribute("value", "1")
    expect(bar).to_have_attribute("max", str(MODULE_COUNT))
    continue_link = summary.get_by_role("link", name="Boundaries and the alliance")
    expect(continue_link).to_have_attribute("href", re.compile(rf"/{LAST_MODULE}/$"))
    expect(summary).to_contain_text("Continue where you left off")
    assert done_in_nav(page) == [page.evaluate(f"new URL('{VIDEO_MODULE}/', location.href).pathname")]

    # The link works, and instant navigation keeps the marks.
    continue_link.click()
    expect(page.locator("h1")).to_have_text(re.compile("Boundaries"))
    instant_navigate(page, f"../{VIDEO_MODULE}/")
    expect(page.get_by_role("button", name=TOGGLE)).to_have_attribute("aria-pressed", "true")
    assert len(done_in_nav(page)) == 1

    # Pressing again takes the mark away everywhere.
    page.get_by_role("button", name=TOGGLE).click()
    expect(page.get_by_role("button", name=TOGGLE)).to_have_attribute("aria-pressed", "false")
    assert done_in_nav(page) == []
    page = session.goto("")
    expect(page.locator(".course-progress-summary")).to_contain_text(f"0 of {MODULE_COUNT} modules done")
    expect(page.locator(".course-status--done")).to_have_count(0)


def test_clear_all_resets_progress(session: Session) -> None:
    for module in (VIDEO_MODULE, LAST_MODULE):
        session.goto(f"{module}/").get_by_role("button", name=TOGGLE).click()
    page = session.goto("")
    expect(page.locator(".course-progress-summary")).to_contain_text(f"2 of {MODULE_COUNT} modules done")

    page = session.goto("journal/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my journal and progress…").click()
    expect(page.locator(".course-journal-tools__message")).to_contain_text("deleted")
    assert page.evaluate(f"localStorage.getItem('course-progress/{COURSE}')") is None
    assert done_in_nav(page) == []
    page = session.goto("")
    expect(page.locator(".course-progress-summary")).to_contain_text(f"0 of {MODULE_COUNT} modules done")
    expect(page.locator(".course-progress-summary")).to_contain_text("Start with the first module")
    expect(page.locator(".course-status--done")).to_have_count(0)
    assert done_in_nav(page) == []


def test_trainer_view_keeps_no_progress(session: Session) -> None:
    page = session.goto(f"trainer/{VIDEO_MODULE}/")
    expect(page.locator(".course-module-end")).to_be_attached()
    expect(page.get_by_role("button", name=TOGGLE)).to_have_count(0)
    expect(page.get_by_role("link", name="Worksheet for this module")).to_be_visible()
