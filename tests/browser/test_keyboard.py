"""The keyboard alone reaches and operates the journal, the done toggle and the video button, with visible focus."""

from __future__ import annotations

from typing import Any

from browser_support import COURSE, VIDEO_MODULE, Session
from playwright.sync_api import Page, expect

MAX_PRESSES = 250

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    return {
        tag: el.tagName.toLowerCase(),
        cls: el.className && el.className.baseVal === undefined ? el.className : "",
        name: el.getAttribute("aria-label") || el.textContent.trim().slice(0, 60),
        focusVisible: el.matches(":focus-visible"),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0,
        boxShadow: style.boxShadow,
    };
}"""


def tab_to(page: Page, css_class: str, key: str = "Tab", passed: list[str] | None = None) -> dict[str, Any]:
    """Press ``key`` until an element with ``css_class`` has the focus; ``passed`` collects the classes on the way."""
    for _ in range(MAX_PRESSES):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        if passed is not None:
            passed.append(focused["cls"])
        if css_class in focused["cls"].split():
            return focused
    raise AssertionError(f"{key} never reached .{css_class} after {MAX_PRESSES} presses")


def assert_focus_visible(focused: dict[str, Any]) -> None:
    assert focused["focusVisible"], focused
    ring = focused["outlineStyle"] not in ("none", "auto") and focused["outlineWidth"] >= 2
    assert ring or focused["boxShadow"] not in ("", "none"), f"no visible focus indicator: {focused}"


def test_keyboard_reaches_and_operates_our_controls(session: Session) -> None:
    page = session.goto(f"{VIDEO_MODULE}/")

    passed: list[str] = []
    field = tab_to(page, "course-journal__field", passed=passed)
    assert any("course-video__play" in cls.split() for cls in passed), "Tab skipped the video buttons"
    assert_focus_visible(field)
    page.keyboard.type("Written with the keyboard only.")
    stored = page.evaluate(f"Object.keys(localStorage).filter(k => k.startsWith('course-journal/{COURSE}/'))")
    assert len(stored) == 1

    toggle = tab_to(page, "course-done-toggle")
    assert_focus_visible(toggle)
    button = page.get_by_role("button", name="I have finished this module")
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-pressed", "true")

    print_button = tab_to(page, "course-print-button")
    assert_focus_visible(print_button)

    # Back up to the second video (the nearer one going backwards): Space plays it.
    second = tab_to(page, "course-video__play", key="Shift+Tab")
    assert "Family Traditions" in second["name"]
    assert_focus_visible(second)
    page.keyboard.press("Space")
    frame = page.locator('iframe[title="Family Traditions Around the World"]')
    expect(frame).to_be_focused()

    # And further back to the first: Enter plays it.
    page.get_by_role("heading", name="Parenting Around the World").click()
    first = tab_to(page, "course-video__play")
    assert "Parenting Around the World" in first["name"]
    assert_focus_visible(first)
    page.keyboard.press("Enter")
    frame = page.locator('iframe[title="Parenting Around the World"]')
    expect(frame).to_have_js_property("isConnected", True)
    # The focus is on the new player; whether the headless browser still counts this page as its focused
    # window after a long run varies (document.hasFocus()), which is not what this test is about.
    assert page.evaluate("document.activeElement && document.activeElement.title") == "Parenting Around the World"


def test_journal_page_tools_work_from_the_keyboard(session: Session) -> None:
    page = session.goto("journal/")
    page.locator("h1").click()
    focused = tab_to(page, "course-button")
    assert focused["name"] == "Download as Markdown"
    assert_focus_visible(focused)
    with page.expect_download():
        page.keyboard.press("Enter")
