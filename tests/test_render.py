"""Render stage: golden snapshots of the Markdown pages of both views of the tiny course.

Regenerate with `pytest --update-golden` and review the diff.
"""

from __future__ import annotations

import re

import pytest

from builder.render import Renderer, nav, text
from builder.resolve import resolve
from builder.validate import load_course

from .conftest import FIXTURES, check_golden

GOLDEN = FIXTURES.parent / "golden" / "tiny"


def normalise(markdown: str) -> str:
    lines = [line.rstrip() for line in markdown.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


@pytest.fixture(scope="module")
def site():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # the calendars' DTSTAMP: 2027-01-01T00:00:00Z
        return Renderer(resolve(load_course(FIXTURES / "tiny"))).site()


def test_golden_pages(site, update_golden: bool) -> None:
    seen = set()
    for view, pages in site.items():
        for page in pages:
            path = GOLDEN / view / page.path
            seen.add(path)
            check_golden(path, normalise(page.markdown), update_golden)
    stale = {p for p in GOLDEN.rglob("*") if p.suffix in (".md", ".ics")} - seen
    assert not stale, f"golden files with no page: {sorted(map(str, stale))}"


def test_pages_of_each_view(site) -> None:
    assert [p.path for p in site["participant"]] == [
        "index.md",
        "first-steps.md",
        "second.md",
        "first-steps/worksheet.md",
        "print.md",
        "journal.md",
        "references.md",
        "sessions/workshop.md",
        "sessions/workshop.ics",
    ]
    assert [p.path for p in site["trainer"]] == [
        "index.md",
        "first-steps.md",
        "second.md",
        "first-steps/worksheet.md",
        "print.md",
        "agenda.md",
        "facilitator-guide.md",
        "references.md",
        "sessions/rehearsal.md",
        "sessions/rehearsal.ics",
        "sessions/workshop.md",
        "sessions/workshop.ics",
    ]


def test_nav_titles_are_escaped(site) -> None:
    assert nav(site["participant"])[:2] == [{"Home": "index.md"}, {"First *steps*": "first-steps.md"}]
    titled = [p for p in site["participant"] if p.path == "print.md"][0]
    assert 'title: "Tiny &lt;course&gt; &amp; friends: the whole course"' in titled.markdown


def test_trainer_only_text_stays_out_of_participant_markdown(site) -> None:
    participant = "".join(p.markdown for p in site["participant"])
    trainer = "".join(p.markdown for p in site["trainer"])
    for marker in (
        "FACILITATOR-NOTE-MODULE",
        "FACILITATOR-NOTE-TS",
        "TRAINER-ONLY-BLOCK",
        "TRAINER-INTENTION-COURSE",
        "TRAINER-INTENTION-MODULE",
    ):
        assert marker not in participant
        assert marker in trainer
    assert "PARTICIPANT-ONLY" in participant and "PARTICIPANT-ONLY" not in trainer


@pytest.mark.parametrize(
    ("plain", "markdown"),
    [
        ("Think & Share", "Think &amp; Share"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("*a* _b_ [c](d) `e` #f", r"\*a\* \_b\_ \[c\](d) \`e\` \#f"),
    ],
)
def test_plain_text_is_never_interpreted(plain: str, markdown: str) -> None:
    assert str(text(plain)) == markdown
