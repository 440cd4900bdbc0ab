"""Sessions in the browser: the schedule pages of both views, and the facilitator guide and run sheet on paper."""

from __future__ import annotations

import json
import re

import pytest
from browser_support import Session
from playwright.sync_api import Page, expect

SESSION = "sessions/full-day/"


def test_the_trainer_session_page_shows_clock_times_and_the_run_sheet(session: Session) -> None:
    page = session.goto(f"trainer/{SESSION}")
    expect(page.get_by_role("heading", name="Full-day training", level=1)).to_be_visible()
    nav = page.locator(".md-nav--primary")
    expect(nav.get_by_role("link", name="Full-day training")).to_have_count(1)
    expect(nav.locator("label", has_text="Sessions").first).to_be_attached()
    schedule = page.locator("table").first
    expect(schedule.locator("tr").nth(1)).to_have_text("09:00 1. Welcome and where this topic fits 15 min 09:15")
    expect(schedule).to_contain_text("Lunch")
    expect(page.locator(".course-schedule-end")).to_have_text("The plan ends at 15:45; the day ends at 16:00: 15 min left.")
    expect(page.get_by_role("heading", name="Run sheet")).to_be_visible()
    expect(page.locator("#run-culture-and-alliance")).to_have_text("11:00 · 6. Culture, race and the alliance¶")
    expect(page.locator(".course-runsheet-break").nth(1)).to_have_text("12:20–13:10 · Lunch · 50 min")
    expect(page.get_by_role("button", name="Print the run sheet")).to_be_visible()
    calendar = page.get_by_role("link", name="Add to your calendar (.ics)").evaluate("a => a.href")
    assert calendar == f"{session.site.url}trainer/sessions/full-day.ics"
    assert session.page.request.get(calendar).text().startswith("BEGIN:VCALENDAR\r\n")


def test_the_participant_schedule_is_the_schedule_only(session: Session) -> None:
    page = session.goto(SESSION)
    rows = page.locator("table tr")
    expect(rows).to_have_count(1 + 12 + 3)  # the header, the modules and the breaks
    text = page.locator(".md-content").inner_text()
    for trainer_only in ("Run sheet", "Facilitator notes", "Trainer intentions", "Set the room up", "Think & Share", "min left"):
        assert trainer_only not in text
    expect(page.locator(".course-schedule-end")).to_have_text("The day ends at 16:00.")
    expect(page.locator(".course-print-action")).to_have_count(0)
    index = json.dumps(json.loads(session.page.request.get(session.site.url + "search/search_index.json").text()))
    assert "Full-day training" in index and "Set the room up" not in index and "Run sheet" not in index


def printed(page: Page) -> None:
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".course-print-action", ".course-room-action"):
        expect(page.locator(hidden).first).to_be_hidden()


@pytest.mark.parametrize("path", ["trainer/facilitator-guide/", f"trainer/{SESSION}"])
def test_the_guide_and_the_run_sheet_print_a_module_a_page(path: str, session: Session) -> None:
    page = session.goto(path)
    print_button = page.locator(".course-print-button")
    expect(print_button).to_have_count(1)
    printed(page)
    modules = page.locator(".course-guide-module")
    expect(modules).to_have_count(12)
    breaks = modules.evaluate_all("sections => sections.map(s => getComputedStyle(s).breakBefore)")
    assert breaks == ["auto"] + ["page"] * 11
    if "sessions" in path:
        assert page.locator("#run-sheet").evaluate("h => getComputedStyle(h).breakBefore") == "page"
    # A link prints its full address after it.
    link = modules.first.get_by_role("link", name="Open the module")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == f'" ({session.site.url}trainer/welcome/)"'
    # Both paper sizes: a page or more a module, and nothing wider than the page.
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size)
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) >= 12, size
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_guide_carries_prompts_groupings_intentions_and_key_points(session: Session) -> None:
    page = session.goto("trainer/facilitator-guide/")
    section = page.locator(".course-guide-module").nth(7)
    expect(section.get_by_role("heading", level=2)).to_have_text("8. Boundaries and the alliance¶")
    expect(section.locator(".admonition.trainer")).to_contain_text("Trainer intentions")
    expect(section).to_contain_text("When you hear the word boundary in your work with families")
    expect(section).to_contain_text("5 min · Whole group")
    expect(section.locator(".course-guide-label")).to_have_text("Key points")
    text = page.locator(".md-content").inner_text()
    assert "](" not in text and "**" not in text
