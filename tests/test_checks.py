"""Knowledge checks and commentary, built for real from the checks course: what each view's HTML, search
index, worksheets, journal and home page carry (the browser tests drive the same site)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, copy_course

FEEDBACK = "It invites the parent to tell their story."
EXPLANATION = "Open questions let the parent decide what matters."
COMMENTARY = "the other person waited"
NOTES = "ask who chose the closed question"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checks")
    copy_course("checks", root)
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--strict", "--content", "content", "--site-dir", "site", "-f", str(REPO / "mkdocs.yml")],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return root / "site"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def search_text(site: Path) -> str:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])


def hidden_asides(html: str) -> list[str]:
    return re.findall(r"<aside [^>]*>.*?</aside>", html, re.DOTALL)


def test_participant_questions_are_fieldsets_of_radio_buttons_or_checkboxes(site: Path) -> None:
    html = page(site, "listening")
    single, multiple = re.findall(r"<fieldset [^>]*>.*?</fieldset>", html, re.DOTALL)
    assert 'data-multiple="false"' in single and 'data-multiple="true"' in multiple
    assert "<legend " in single and "Which of these is an <em>open</em> question?</legend>" in single
    assert single.count('type="radio"') == 3 and 'type="checkbox"' not in single
    assert multiple.count('type="checkbox"') == 3 and 'type="radio"' not in multiple
    # Each radio group shares one name; each checkbox has its own. Every input has its label.
    assert len(set(re.findall(r'name="([^"]+)"', single))) == 1
    assert len(set(re.findall(r'name="([^"]+)"', multiple))) == 3
    inputs = re.findall(r"<input [^>]*class=\"course-check__input\"[^>]*id=\"([^\"]+)\"", html)
    assert len(inputs) == 6
    for input_id in inputs:
        assert f'<label class="course-check__label" for="{input_id}">' in html
    assert single.count('aria-live="polite"') == 1
    assert "Choose one answer." in single and "Choose all that apply." in multiple


def test_participant_answers_wait_hidden_and_out_of_search(site: Path) -> None:
    html = page(site, "listening")
    asides = hidden_asides(html)
    assert len(asides) == 3  # two answer keys and one commentary
    for aside in asides:
        opening = aside.split(">", 1)[0]
        assert 'hidden="hidden"' in opening and 'data-search-exclude=""' in opening
    key = asides[0]
    assert 'data-correct="2"' in key and FEEDBACK in key and EXPLANATION in key
    assert 'data-correct="1 3"' in asides[1]
    # Outside the hidden asides, the page shows no feedback, explanation, commentary or facilitator notes.
    visible = re.sub(r"<aside [^>]*>.*?</aside>", "", html, flags=re.DOTALL)
    for secret in (FEEDBACK, EXPLANATION, COMMENTARY, NOTES, "Not correct"):
        assert secret not in visible
    searched = search_text(site)
    for secret in (FEEDBACK, EXPLANATION, COMMENTARY, "Small promises kept"):
        assert secret not in searched
    # What the page does show is still found, also after the hidden parts.
    for shown in ("What was the visit like for you?", "Think of a visit where you felt heard", "Keeping appointments"):
        assert shown in searched


def test_trainer_view_marks_correct_choices_in_words_with_feedback_notes_and_timing(site: Path) -> None:
    html = page(site / "trainer", "listening")
    block = html[html.index('course-block--knowledge-check"') : html.index('id="a-visit"')]
    verdicts = re.findall(r'course-check__choice--(correct|wrong)">\s*<p><span class="course-check__verdict">([^<]+)</span> ([^<]+)</p>', block)
    assert verdicts == [
        ("wrong", "Not correct", "Did the visit go well?"),
        ("correct", "Correct", "What was the visit like for you?"),
        ("wrong", "Not correct", "Was the baby asleep?"),
        ("correct", "Correct", "Reflecting back what they said"),
        ("wrong", "Not correct", "Changing the subject to the baby's weight"),
        ("correct", "Correct", "Naming the feeling you noticed"),
    ]
    for shown in (FEEDBACK, EXPLANATION, "This moves away from what they said.", NOTES, '<p class="course-meta">5 min</p>'):
        assert shown in block
    assert "<input" not in block and "<aside" not in block
    assert COMMENTARY in html and "Commentary: what an experienced practitioner might say" in html
    assert not [a for a in hidden_asides(html) if "hidden" in a.split(">", 1)[0]]


def test_commentary_on_trainer_worksheets_only(site: Path) -> None:
    assert COMMENTARY in page(site / "trainer", "listening/worksheet")
    assert "Keeping small promises" in page(site / "trainer", "trust/worksheet")
    for path in ("listening/worksheet", "trust/worksheet"):
        assert "course-commentary" not in page(site, path)
    assert "Keeping small promises" not in page(site, "trust/worksheet")


def test_home_page_names_the_pass_mark_and_the_questions_progress_counts(site: Path) -> None:
    html = page(site, "")
    assert '<p class="course-pass-mark">Pass mark: 80% of the questions</p>' in html
    assert 'class="course-checks-summary" data-course="checks-course" data-checks="listening/open-questions/1 listening/open-questions/2 trust/check-your-understanding/1" data-pass-mark="80"' in html
    assert 'data-pass-mark="80"' in html
    assert "Pass mark: 80% of the questions" in page(site / "trainer", "")


def test_journal_page_lists_every_question_with_its_choices(site: Path) -> None:
    html = page(site, "journal")
    records = re.findall(r'<div class="course-check-record" ([^>]*)>', html)
    assert [re.search(r'id="([^"]+)"', r).group(1) for r in records] == [  # type: ignore[union-attr]
        "listening--open-questions-q1",
        "listening--open-questions-q2",
        "trust--check-your-understanding-q1",
    ]
    assert '<li data-choice="2">What was the visit like for you?</li>' in html
    assert FEEDBACK not in html and 'data-correct' not in html


def test_print_page_carries_the_questions_of_both_views(site: Path) -> None:
    participant, trainer = page(site, "print"), page(site / "trainer", "print")
    assert 'id="listening--open-questions-q1"' in participant and 'type="radio"' in participant
    assert "Trust grows from" in participant and "Grand gestures" in participant
    assert 'id="listening--open-questions-q1"' in trainer and '<span class="course-check__verdict">Correct</span> Keeping appointments' in trainer


def test_a_choice_of_several_paragraphs_stays_in_its_label(site: Path) -> None:
    html = page(site, "trust")
    assert '<label class="course-check__label" for="check-your-understanding-q1-c2">Grand gestures,\nnow and then</label></p>' in html


def test_files_linked_from_checks_are_published(site: Path) -> None:
    """An image in a question's explanation is published with the view, like any file Markdown links to."""
    assert '<img alt="A dot for each promise kept" src="../media/dot.svg"' in page(site / "trainer", "trust")
    assert (site / "media" / "dot.svg").is_file()
    assert (site / "trainer" / "media" / "dot.svg").is_file()


def test_the_allowlist_keeps_all_that_checks_and_commentary_make() -> None:
    """Every tag, attribute and class that checks and commentary make, in both views, passes the HTML choke point as
    it is: nothing of a question, its hidden answer key or a commentary is dropped, or unwrapped into plain sight."""
    from builder.render import Renderer
    from builder.resolve import resolve
    from builder.sanitize import sanitize
    from builder.validate import load_course

    from .conftest import FIXTURES
    from .test_sanitize import Inventory, page_html

    ours = re.compile(
        r'<fieldset class="course-check".*?</fieldset>|<div class="course-check course-check--key".*?\n</div>\n(?=<div class="course-check|<div class="admonition|</div>)'
        r'|<aside class="course-commentary".*?</aside>|<div class="course-check-record".*?\n</div>|<div class="course-checks-summary"[^>]*></div>'
        r'|<p class="course-pass-mark">.*?</p>|<div class="course-block course-block--knowledge-check"[^>]*>',
        re.DOTALL,
    )
    pages = [page_html(p.markdown) for ps in Renderer(resolve(load_course(FIXTURES / "checks"))).site().values() for p in ps]
    fragments = [fragment for html in pages for fragment in ours.findall(html)]
    made = "".join(fragments)
    for part in ("<fieldset", "<legend", 'type="radio"', 'type="checkbox"', "<label", "<aside", "data-search-exclude", 'aria-live="polite"',
                 "course-check__verdict", "course-check-record", "course-checks-summary", "course-pass-mark"):  # fmt: skip
        assert part in made, part
    for fragment in fragments:
        assert Inventory(sanitize(fragment)).items == Inventory(fragment).items, fragment
