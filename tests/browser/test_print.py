"""Print: a module prints clean, with the journal answers and the transcripts; worksheets and the whole course."""

from __future__ import annotations

import re

from browser_support import VIDEO_MODULE, Session
from playwright.sync_api import expect

ANSWER = "What I wrote, to be printed.\nOn two lines."
FIRST = f'.course-journal[data-module="{VIDEO_MODULE}"][data-prompt="1"]'


def test_printing_a_module(session: Session) -> None:
    page = session.goto(f"{VIDEO_MODULE}/")
    page.locator(f"{FIRST} textarea").fill(ANSWER)
    transcript = page.locator(".course-block--video details").first
    assert transcript.evaluate("d => d.open") is False
    transcript_text = transcript.locator("p").first
    expect(transcript_text).to_be_hidden()

    page.emulate_media(media="print")
    for hidden in (
        ".md-sidebar--primary",
        ".md-header",
        ".md-footer",
        ".course-pager",
        ".course-view-switch",
        ".course-module-end",
        ".course-module-tools",
        ".course-video__play",
        ".course-journal textarea",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    # The answer is printed under its prompt, as text.
    printed = page.locator(f"{FIRST} .course-journal__print")
    expect(printed).to_be_visible()
    expect(printed).to_have_text(ANSWER)
    # An empty answer prints as lines to write on.
    expect(page.locator(".course-journal[data-prompt='2'] .course-journal__print")).to_be_visible()
    # The video prints as its title, its address and its transcript (open, even without the print dialog).
    expect(page.get_by_role("heading", name="Parenting Around the World")).to_be_visible()
    link = page.locator(".course-video__link").first
    expect(link).to_be_visible()
    assert "youtube.com/watch?v=Nsn2B4IGKo8" in link.evaluate("a => getComputedStyle(a, '::after').content")
    expect(transcript_text).to_be_visible()

    # The browser's print dialog: every folded part is opened first, and closed again afterwards.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("[...document.querySelectorAll('details')].every(d => d.open)")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert transcript.evaluate("d => d.open") is False
    page.emulate_media(media="screen")
    expect(transcript_text).to_be_hidden()
    expect(page.locator(f"{FIRST} textarea")).to_be_visible()


def test_modules_link_to_their_worksheets_and_home_to_the_whole_course(session: Session) -> None:
    for view in ("", "trainer/"):
        page = session.goto(f"{view}{VIDEO_MODULE}/")
        worksheet = page.get_by_role("link", name="Worksheet for this module")
        # Material makes links absolute once the page is loaded.
        expect(worksheet).to_have_attribute("href", f"{session.site.url}{view}{VIDEO_MODULE}/worksheet/")
        worksheet.click()
        expect(page.locator("h1")).to_have_text(re.compile(r"^Worksheet: Culture, race and the alliance"))
        # Activities only: every prompt, each with lined room to write, and no video or reading.
        prompts = page.locator(".course-prompt")
        assert prompts.count() == 2
        spaces = page.locator(".course-journal--worksheet .course-writing-space")
        assert spaces.count() == prompts.count()
        expect(page.locator(".course-video")).to_have_count(0)
        space = spaces.first
        assert "repeating-linear-gradient" in space.evaluate("e => getComputedStyle(e).backgroundImage")
        assert space.evaluate("e => e.getBoundingClientRect().height") > 150
        page.emulate_media(media="print")
        assert space.evaluate("e => getComputedStyle(e).printColorAdjust") == "exact"
        expect(space).to_be_visible()
        expect(page.get_by_role("button", name="Print this worksheet")).to_be_hidden()
        page.emulate_media(media="screen")
        expect(page.get_by_role("button", name="Print this worksheet")).to_be_visible()

        page = session.goto(view)
        whole = page.get_by_role("link", name="The whole course on one page")
        expect(whole).to_have_attribute("href", f"{session.site.url}{view}print/")
        whole.click()
        expect(page.locator(".course-print-module")).to_have_count(12)


def test_worksheet_prints_an_answer_already_written(session: Session) -> None:
    page = session.goto(f"{VIDEO_MODULE}/")
    page.locator(f"{FIRST} textarea").fill(ANSWER)
    page = session.goto(f"{VIDEO_MODULE}/worksheet/")
    answer = page.locator('.course-journal--worksheet[data-prompt="1"] .course-journal__answer-text')
    expect(answer).to_have_text(ANSWER)
    expect(page.locator('.course-journal--worksheet[data-prompt="2"] .course-journal__answer')).to_have_count(0)
