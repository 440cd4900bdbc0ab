"""Room mode: an activity projected full screen from the trainer view, by keyboard alone, with its countdown.

Time is Playwright's clock (``page.clock``): the tests move it forward instead of waiting. The page's
WebAudio is recorded by a stand-in installed before the page loads, so the tone is seen to play once,
at the end, and never before.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import Session, Site, open_session
from playwright.sync_api import Browser, Page, expect

MODULE = "trainer/boundaries/"
FIRST = "Think & Share: what does boundary mean to you?"
SECOND = "Group Discussion: cultural expectations that have informed your work"

# Records each tone the page plays, without a sound card.
RECORD_TONES = """
window.__tones = [];
window.AudioContext = function () {
  var context = { currentTime: 0, state: "running", destination: {}, resume: function () {} };
  context.createGain = function () {
    var node = { gain: { setValueAtTime: function () {}, exponentialRampToValueAtTime: function () {} } };
    node.connect = function (to) { return to; };
    return node;
  };
  context.createOscillator = function () {
    var node = { type: "", frequency: { value: 0 } };
    node.connect = function (to) { return to; };
    node.start = function () { window.__tones.push(node.frequency.value); };
    node.stop = function () {};
    return node;
  };
  return context;
};
"""


@pytest.fixture
def room(session: Session) -> Page:
    session.page.add_init_script(RECORD_TONES)
    session.page.clock.install()
    return session.goto(MODULE)


def dialog(page: Page):
    return page.locator(".course-room[role=dialog]")


def open_first_by_keyboard(page: Page) -> None:
    present = page.get_by_role("button", name=f"Present “{FIRST}” full screen")
    present.focus()
    page.keyboard.press("Enter")
    expect(dialog(page)).to_be_visible()


def test_present_opens_the_activity_large_and_escape_gives_focus_back(room: Page, session: Session) -> None:
    open_first_by_keyboard(room)
    box = dialog(room)
    expect(box.locator(".course-room__title")).to_have_text(FIRST)
    expect(box.locator(".course-room__grouping")).to_have_text("Whole group")
    expect(box.locator(".course-room__position")).to_have_text("Activity 1 of 2")
    prompt = box.locator(".course-room__prompt")
    expect(prompt).to_contain_text("When you hear the word boundary in your work with families")
    assert float(prompt.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")) >= 24
    expect(box.locator(".course-room__time")).to_have_text("5:00")
    # The room covers the page, and keeps the focus: Tab goes round its own controls.
    assert box.evaluate("d => { const r = d.getBoundingClientRect(); return r.width === innerWidth && r.height === innerHeight; }")
    expect(box.get_by_role("button", name="Start")).to_be_focused()
    for _ in range(8):
        room.keyboard.press("Tab")
        assert box.evaluate("d => d.contains(document.activeElement)")
    room.keyboard.press("Escape")
    expect(dialog(room)).to_have_count(0)
    expect(room.get_by_role("button", name=f"Present “{FIRST}” full screen")).to_be_focused()
    assert session.network.off_site() == []


def test_the_countdown_starts_pauses_resets_and_signals_the_end(room: Page) -> None:
    open_first_by_keyboard(room)
    box = dialog(room)
    time = box.locator(".course-room__time")
    room.keyboard.press("Enter")  # Start has the focus
    room.clock.run_for(61_000)
    expect(time).to_have_text("3:59")
    box.get_by_role("button", name="Pause").press("Enter")
    room.clock.run_for(30_000)
    expect(time).to_have_text("3:59")
    box.get_by_role("button", name="Resume").press("Enter")
    room.clock.run_for(59_000)
    expect(time).to_have_text("3:00")
    box.get_by_role("button", name="Reset").press("Enter")
    expect(time).to_have_text("5:00")
    expect(box.get_by_role("button", name="Start")).to_be_visible()
    assert room.evaluate("window.__tones") == []

    box.get_by_role("button", name="Start").press("Enter")
    room.clock.run_for(4 * 60_000 + 59_000)
    expect(time).to_have_text("0:01")
    assert room.evaluate("window.__tones") == []  # nothing sounds before the end
    room.clock.run_for(2_000)
    expect(time).to_have_text("0:00")
    expect(box.locator(".course-room__status")).to_have_text("Time is up")
    expect(box).to_have_class("course-room md-typeset course-room--done")
    assert room.evaluate("window.__tones") == [660, 880]  # one short chime, once
    room.clock.run_for(60_000)
    assert room.evaluate("window.__tones") == [660, 880]
    expect(time).to_have_text("0:00")


def test_arrows_move_between_the_activities_of_the_module(room: Page) -> None:
    open_first_by_keyboard(room)
    box = dialog(room)
    title = box.locator(".course-room__title")
    room.keyboard.press("Enter")
    room.clock.run_for(10_000)
    room.keyboard.press("ArrowRight")
    expect(title).to_have_text(SECOND)
    expect(box.locator(".course-room__position")).to_have_text("Activity 2 of 2")
    expect(box.locator(".course-room__grouping")).to_be_hidden()
    expect(box.locator(".course-room__prompt")).to_have_count(2)
    expect(box.locator(".course-room__time")).to_have_text("12:00")  # a new activity (12 min), a fresh countdown
    room.keyboard.press("ArrowRight")
    expect(title).to_have_text(SECOND)  # the last stays the last
    room.keyboard.press("ArrowLeft")
    expect(title).to_have_text(FIRST)
    room.keyboard.press("Escape")
    expect(room.get_by_role("button", name=f"Present “{FIRST}” full screen")).to_be_focused()


def test_from_a_session_the_arrows_go_through_the_whole_session(session: Session) -> None:
    session.page.clock.install()
    page = session.goto("trainer/sessions/full-day/")
    presents = page.locator(".course-room-present")
    count = presents.count()
    assert count == page.locator("[data-course-present]").count() >= 12
    presents.first.focus()
    page.keyboard.press("Enter")
    box = dialog(page)
    expect(box.locator(".course-room__position")).to_have_text(f"Activity 1 of {count}")
    expect(box.locator(".course-room__title")).to_have_text("Think & Share (practice): a helper who was on your side")
    page.keyboard.press("ArrowRight")  # into the next module
    expect(box.locator(".course-room__title")).to_have_text("Reflective Activity (practice): two relationships with one family")
    page.keyboard.press("Escape")
    expect(presents.nth(1)).to_be_focused()


def test_participants_have_no_room_mode(session: Session) -> None:
    page = session.goto("boundaries/")
    expect(page.locator(".course-block--think-and-share")).to_be_visible()
    expect(page.locator(".course-room-present")).to_have_count(0)


@pytest.fixture
def dark_session(browser: Browser, site: Site) -> Iterator[Session]:
    yield from open_session(browser, site, color_scheme="dark")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_room_passes_axe_in_both_colour_schemes(scheme: str, session: Session, dark_session: Session) -> None:
    chosen = session if scheme == "light" else dark_session
    chosen.page.clock.install()
    page = chosen.goto(MODULE)
    open_first_by_keyboard(page)
    page.keyboard.press("Enter")
    page.clock.run_for(5 * 60_000 + 1_000)  # the end state too: its accent border and message
    expect(dialog(page).locator(".course-room__status")).to_have_text("Time is up")
    page.clock.resume()  # axe schedules its own work on timers
    results = Axe().run(page, context=".course-room", options={"resultTypes": ["violations"]}).response
    serious = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
