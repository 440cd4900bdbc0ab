"""The course's own admonitions (trainer intentions, facilitator notes, further reading) each show in their
own colour and icon, in both palettes, like Material's built-in kinds."""

from __future__ import annotations

import pytest
from browser_support import Site, open_session
from playwright.sync_api import Browser

# Where the default course shows each kind in the trainer view.
PAGES = {"trainer": "trainer/", "facilitator": "trainer/barriers/", "reading": "trainer/barriers/"}

STYLE = """([box, kind]) => {
    const title = box.querySelector(':scope > .admonition-title, :scope > summary');
    const root = getComputedStyle(document.querySelector('.md-typeset'));
    const probe = document.createElement('span');
    probe.style.color = `var(--course-${kind})`;
    document.body.append(probe);
    const expected = getComputedStyle(probe).color;
    probe.remove();
    const icon = getComputedStyle(title, '::before');
    return {
        border: getComputedStyle(box).borderLeftColor,
        expected,
        iconColour: icon.backgroundColor,
        icon: icon.maskImage || icon.webkitMaskImage,
        expectedIcon: root.getPropertyValue(`--md-admonition-icon--${kind}`).trim(),
        title: getComputedStyle(title).backgroundColor,
    };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_course_admonition_has_its_own_colour_and_icon(browser: Browser, site: Site, scheme: str) -> None:
    seen = {}
    for session in open_session(browser, site, color_scheme=scheme):
        for kind, path in PAGES.items():
            page = session.goto(path)
            box = page.locator(f".md-typeset .admonition.{kind}, .md-typeset details.{kind}").first
            style = page.evaluate(STYLE, [box.element_handle(), kind])
            assert style["border"] == style["expected"] == style["iconColour"], (kind, style)
            assert style["title"] != "rgba(0, 0, 0, 0)", (kind, style)  # a tint of the colour behind the title
            assert style["expectedIcon"] and style["icon"] != "none", (kind, style)
            seen[kind] = (style["border"], style["icon"])
    assert len({border for border, _ in seen.values()}) == 3
    assert len({icon for _, icon in seen.values()}) == 3
