"""Knowledge checks and commentary in a real browser, on the checks course (tests/fixtures/checks): a
single-answer and a choose-all-that-apply question, right and wrong answers with their feedback and
explanation, the result kept across reloads and instant navigation, try again, the keyboard alone, the
commentary held back until the participant has written, the trainer's answer key, print, the results on
My journal, its exports and import, the home page, and axe in both palettes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import Session, Site, built_and_served, instant_navigate, open_session
from playwright.sync_api import Browser, Locator, Page, expect
from test_accessibility import serious_violations
from test_keyboard import FOCUSED, assert_focus_visible, tab_to

SLUG = "checks-course"
KEY = f"course-checks/{SLUG}/listening/open-questions/"
SINGLE = "#open-questions-q1"
MULTIPLE = "#open-questions-q2"
FEEDBACK_WRONG = "This one can be answered with yes or no."
FEEDBACK_RIGHT = "It invites the parent to tell their story."
EXPLANATION = "Open questions let the parent decide what matters."
COMMENTARY = "Many practitioners remember silence: the other person waited."


@pytest.fixture(scope="module")
def checks_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from built_and_served(tmp_path_factory.mktemp("checks-course"), "checks")


@pytest.fixture
def checks(browser: Browser, checks_site: Site) -> Iterator[Session]:
    yield from open_session(browser, checks_site, color_scheme="light")


@pytest.fixture
def dark_checks(browser: Browser, checks_site: Site) -> Iterator[Session]:
    yield from open_session(browser, checks_site, color_scheme="dark")


def choose(question: Locator, *labels: str) -> None:
    for label in labels:
        question.get_by_label(label, exact=True).check()


def stored(page: Page, question: int) -> Any:
    raw = page.evaluate(f"localStorage.getItem('{KEY}{question}')")
    return None if raw is None else json.loads(raw)


def test_a_single_answer_wrong_then_right(checks: Session) -> None:
    page = checks.goto("listening/")
    question = page.locator(SINGLE)
    result = question.locator(".course-check__result")
    expect(result).to_have_attribute("aria-live", "polite")
    expect(question.get_by_role("radio")).to_have_count(3)
    expect(question.locator(".course-check__key")).to_be_hidden()

    question.get_by_role("button", name="Check").click()
    expect(result).to_have_text("Choose an answer first, then press Check.")
    assert stored(page, 1) is None

    choose(question, "Did the visit go well?")
    question.get_by_role("button", name="Check").click()
    expect(result.locator(".course-check__outcome")).to_have_text("✗ Not quite.")
    expect(result).to_contain_text("You chose: Did the visit go well? (not a right answer)")
    expect(result).to_contain_text(FEEDBACK_WRONG)
    expect(result).to_contain_text(EXPLANATION)
    expect(result).not_to_contain_text(FEEDBACK_RIGHT)  # only the chosen choice's feedback
    expect(question.get_by_role("radio").first).to_be_disabled()
    expect(question.get_by_role("button", name="Check")).to_be_hidden()
    expect(question.get_by_role("button", name="Try again")).to_be_focused()
    assert stored(page, 1)["chosen"] == [1] and stored(page, 1)["correct"] is False

    question.get_by_role("button", name="Try again").click()
    expect(result).to_be_empty()
    expect(question.get_by_role("radio").first).to_be_focused()
    for radio in question.get_by_role("radio").all():
        expect(radio).not_to_be_checked()
        expect(radio).to_be_enabled()
    assert stored(page, 1) is None

    choose(question, "What was the visit like for you?")
    question.get_by_role("button", name="Check").click()
    expect(result.locator(".course-check__outcome")).to_have_text("✓ Right.")
    expect(result).to_contain_text("You chose: What was the visit like for you? (a right answer)")
    expect(result).to_contain_text(FEEDBACK_RIGHT)
    expect(result).to_contain_text(EXPLANATION)
    assert stored(page, 1)["chosen"] == [2] and stored(page, 1)["correct"] is True


def test_choose_all_that_apply(checks: Session) -> None:
    page = checks.goto("listening/")
    question = page.locator(MULTIPLE)
    result = question.locator(".course-check__result")
    expect(question.get_by_role("checkbox")).to_have_count(3)
    expect(question).to_contain_text("Choose all that apply.")

    # One of the two right answers is not enough.
    choose(question, "Reflecting back what they said")
    question.get_by_role("button", name="Check").click()
    expect(result.locator(".course-check__outcome")).to_have_text("✗ Not quite: choose every right answer, and only those.")
    expect(result).to_contain_text("Reflecting shows you were listening.")
    expect(result).to_contain_text("Both reflecting and naming feelings tell the parent they were understood.")

    # All three, a wrong one among them, is not right either; each chosen choice says whether it is right.
    question.get_by_role("button", name="Try again").click()
    choose(question, "Reflecting back what they said", "Changing the subject to the baby's weight", "Naming the feeling you noticed")
    question.get_by_role("button", name="Check").click()
    expect(result.locator(".course-check__outcome")).to_contain_text("Not quite")
    expect(result.locator(".course-check__given")).to_have_count(3)
    expect(result.locator(".course-check__mark--wrong")).to_have_text(["(not a right answer)"])
    expect(result).to_contain_text("This moves away from what they said.")

    question.get_by_role("button", name="Try again").click()
    choose(question, "Reflecting back what they said", "Naming the feeling you noticed")
    question.get_by_role("button", name="Check").click()
    expect(result.locator(".course-check__outcome")).to_have_text("✓ Right.")
    assert stored(page, 2)["chosen"] == [1, 3] and stored(page, 2)["correct"] is True


def test_results_are_kept_across_reload_and_instant_navigation(checks: Session) -> None:
    page = checks.goto("listening/")
    question = page.locator(SINGLE)
    choose(question, "Did the visit go well?")
    question.get_by_role("button", name="Check").click()

    def restored() -> None:
        q = page.locator(SINGLE)
        expect(q.locator(".course-check__outcome")).to_have_text("✗ Not quite.")
        expect(q.locator(".course-check__result")).to_contain_text(FEEDBACK_WRONG)
        expect(q.get_by_label("Did the visit go well?")).to_be_checked()
        expect(q.get_by_label("Did the visit go well?")).to_be_disabled()
        expect(q.get_by_role("button", name="Try again")).to_be_visible()
        expect(page.locator(MULTIPLE).locator(".course-check__result")).to_be_empty()

    page.reload()
    restored()
    instant_navigate(page, "../trust/")
    expect(page.locator("fieldset.course-check")).to_have_count(1)
    expect(page.get_by_role("button", name="Check")).to_be_visible()  # the new page's question is set up too
    instant_navigate(page, "../listening/")
    restored()

    # Try again after navigating back still clears what was kept.
    page.locator(SINGLE).get_by_role("button", name="Try again").click()
    page.reload()
    expect(page.locator(SINGLE).locator(".course-check__result")).to_be_empty()
    expect(page.locator(SINGLE).get_by_label("Did the visit go well?")).not_to_be_checked()


def test_home_page_counts_right_answers_against_the_pass_mark(checks: Session) -> None:
    page = checks.goto("")
    summary = page.locator(".course-checks-summary")
    expect(page.locator(".course-pass-mark")).to_have_text("Pass mark: 80% of the questions")
    expect(summary).to_have_text("Knowledge checks: 0 of 3 questions answered correctly.")

    page = checks.goto("listening/")
    choose(page.locator(SINGLE), "What was the visit like for you?")
    page.locator(SINGLE).get_by_role("button", name="Check").click()
    choose(page.locator(MULTIPLE), "Reflecting back what they said")  # wrong: not counted
    page.locator(MULTIPLE).get_by_role("button", name="Check").click()
    page = checks.goto("")
    expect(summary).to_have_text("Knowledge checks: 1 of 3 questions answered correctly.")

    page = checks.goto("trust/")
    choose(page.locator("fieldset.course-check"), "Keeping appointments")
    page.get_by_role("button", name="Check").click()
    page = checks.goto("listening/")
    page.locator(MULTIPLE).get_by_role("button", name="Try again").click()
    choose(page.locator(MULTIPLE), "Reflecting back what they said", "Naming the feeling you noticed")
    page.locator(MULTIPLE).get_by_role("button", name="Check").click()
    instant_navigate(page, "../")
    expect(page.locator(".course-checks-summary")).to_have_text(
        "Knowledge checks: 3 of 3 questions answered correctly.You have reached the pass mark."
    )


def test_keyboard_alone_answers_checks_and_tries_again(checks: Session) -> None:
    page = checks.goto("listening/")
    radio = tab_to(page, "course-check__input")
    assert_focus_visible(radio)
    page.keyboard.press("ArrowDown")  # radios of one group: the arrow keys move and choose
    expect(page.locator(f"{SINGLE} input[value='2']")).to_be_checked()
    check = tab_to(page, "course-check__check")
    assert_focus_visible(check)
    page.keyboard.press("Enter")
    expect(page.locator(SINGLE).locator(".course-check__outcome")).to_have_text("✓ Right.")
    retry = page.evaluate(FOCUSED)
    assert "course-check__retry" in retry["cls"].split()
    assert_focus_visible(retry)
    page.keyboard.press("Enter")
    expect(page.locator(SINGLE).locator(".course-check__result")).to_be_empty()
    assert page.evaluate("document.activeElement.id") == "open-questions-q1-c1"

    # Checkboxes: Tab reaches each, Space ticks it.
    box = tab_to(page, "course-check__input")
    while page.evaluate("document.activeElement.type") != "checkbox":
        box = tab_to(page, "course-check__input")
    assert_focus_visible(box)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    tab_to(page, "course-check__check")
    page.keyboard.press("Enter")
    expect(page.locator(MULTIPLE).locator(".course-check__outcome")).to_have_text("✓ Right.")


def test_commentary_appears_after_writing(checks: Session) -> None:
    page = checks.goto("listening/")
    commentary = page.locator(".course-commentary")
    expect(commentary).to_be_hidden()
    expect(page.locator(".course-commentary__gate")).to_be_visible()
    page.locator(".course-journal__field").first.fill("The person waited for me to finish.")
    expect(commentary).to_be_visible()
    expect(commentary).to_contain_text("Commentary: what an experienced practitioner might say")
    expect(commentary).to_contain_text(COMMENTARY)
    expect(page.locator(".course-commentary__gate")).to_have_count(0)
    expect(page.locator(".course-commentary__status")).to_have_text("The commentary is shown below your answer.")
    # Below the answer: after the journal field in the page.
    assert page.evaluate(
        "() => !!(document.querySelector('.course-journal__field').compareDocumentPosition(document.querySelector('.course-commentary')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    # Written once, it is shown on return.
    page.reload()
    expect(page.locator(".course-commentary")).to_be_visible()


def test_commentary_on_request(checks: Session) -> None:
    page = checks.goto("trust/")
    commentary = page.locator(".course-commentary")
    expect(commentary).to_be_hidden()
    show = page.get_by_role("button", name="Show the commentary anyway")
    show.focus()
    page.keyboard.press("Enter")
    expect(commentary).to_be_visible()
    expect(commentary).to_contain_text("Keeping small promises, again and again.")
    expect(commentary).to_be_focused()
    # Asking is not writing: on return it waits again.
    page.reload()
    expect(page.locator(".course-commentary")).to_be_hidden()


def test_trainer_view_shows_the_answers(checks: Session) -> None:
    page = checks.goto("trainer/listening/")
    block = page.locator(".course-block--knowledge-check")
    expect(block.locator("input")).to_have_count(0)
    expect(block.locator(".course-check__choice--correct .course-check__verdict")).to_have_text(["Correct", "Correct", "Correct"])
    expect(block.locator(".course-check__choice--wrong .course-check__verdict")).to_have_text(["Not correct"] * 3)
    # Not by colour alone: the mark is in the text, and a ✓ before it.
    mark = block.locator(".course-check__choice--correct .course-check__verdict").first
    assert mark.evaluate("e => getComputedStyle(e, '::before').content") == '"✓ "'
    for text in (FEEDBACK_WRONG, FEEDBACK_RIGHT, "This moves away from what they said.", EXPLANATION, "ask who chose the closed question", "5 min"):
        expect(block).to_contain_text(text)
        expect(block.get_by_text(text, exact=False).first).to_be_visible()
    expect(page.locator(".course-commentary")).to_be_visible()
    expect(page.locator(".course-commentary")).to_contain_text(COMMENTARY)
    expect(page.get_by_role("button", name="Show the commentary anyway")).to_have_count(0)


def test_print_of_both_views(checks: Session) -> None:
    page = checks.goto("listening/")
    page.emulate_media(media="print")
    question = page.locator(SINGLE)
    expect(question.locator(".course-check__question")).to_be_visible()
    for label in ("Did the visit go well?", "What was the visit like for you?", "Was the baby asleep?"):
        expect(question.get_by_label(label)).to_be_visible()
        expect(question.locator("label", has_text=label)).to_be_visible()
    expect(question.get_by_role("button", name="Check")).to_be_hidden()
    expect(question.locator(".course-check__key")).to_be_hidden()
    expect(page.get_by_text(FEEDBACK_RIGHT)).to_be_hidden()
    page.emulate_media(media="screen")

    page = checks.goto("trainer/print/")
    page.emulate_media(media="print")
    question = page.locator("#listening--open-questions-q1")
    expect(question).to_be_visible()
    right = question.locator(".course-check__choice--correct")
    expect(right).to_have_count(1)
    expect(right).to_contain_text("Correct What was the visit like for you?")
    expect(right.locator(".course-check__verdict")).to_be_visible()
    assert right.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
    expect(question.get_by_text(EXPLANATION)).to_be_visible()
    page.emulate_media(media="screen")


def answer_some(session: Session) -> Page:
    page = session.goto("listening/")
    choose(page.locator(SINGLE), "What was the visit like for you?")
    page.locator(SINGLE).get_by_role("button", name="Check").click()
    choose(page.locator(MULTIPLE), "Changing the subject to the baby's weight")
    page.locator(MULTIPLE).get_by_role("button", name="Check").click()
    return page


def test_my_journal_shows_results_and_exports_and_imports_them(checks: Session, browser: Browser, checks_site: Site) -> None:
    answer_some(checks)
    page = checks.goto("journal/")
    first, second, third = page.locator(".course-check-record").all()
    expect(first.locator(".course-check-record__result")).to_have_text("Answered correctly.")
    expect(first.locator(".course-check-record__chosen")).to_have_text("What was the visit like for you? (your choice)")
    expect(second.locator(".course-check-record__result")).to_have_text("Answered, not correctly yet: try again on the module's page.")
    expect(third.locator(".course-check-record__result")).to_have_text("Not answered yet.")

    with page.expect_download() as markdown:
        page.get_by_role("button", name="Download as Markdown").click()
    text = Path(markdown.value.path()).read_text(encoding="utf-8")
    assert "## Knowledge checks" in text
    assert "> Which of these is an open question?\n\nYour answer: What was the visit like for you? Right." in text
    assert "Your answer: Changing the subject to the baby's weight Not right yet." in text

    with page.expect_download() as download:
        page.get_by_role("button", name="Download as JSON").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [(c["module"], c["block"], c["question"], c["chosen"], c["correct"]) for c in data["checks"]] == [
        ("listening", "open-questions", 1, [2], True),
        ("listening", "open-questions", 2, [2], False),
    ]
    assert data["checks"][0]["questionText"] == "Which of these is an open question?"

    # Another browser imports the file: its results, its My journal and its module page show them.
    for other in open_session(browser, checks_site, color_scheme="light"):
        page = other.goto("journal/")
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="Import a JSON file…").click()
        chooser.value.set_files(files=[{"name": "journal.json", "mimeType": "application/json", "buffer": json.dumps(data).encode()}])
        expect(page.locator(".course-check-record__result").first).to_have_text("Answered correctly.")
        page = other.goto("listening/")
        expect(page.locator(SINGLE).locator(".course-check__outcome")).to_have_text("✓ Right.")
        # A file whose checks are not readable is refused whole.
        page = other.goto("journal/")
        bad = dict(data, checks=[{"module": "listening", "block": "open-questions", "question": 1, "chosen": ["<img>"], "correct": True}])
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="Import a JSON file…").click()
        chooser.value.set_files(files=[{"name": "bad.json", "mimeType": "application/json", "buffer": json.dumps(bad).encode()}])
        expect(page.locator(".course-journal-tools__message")).to_contain_text("(knowledge check 1) Nothing was imported.")
        # Clearing the journal clears the results too.
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Clear my journal and progress…").click()
        expect(page.locator(".course-check-record__result").first).to_have_text("Not answered yet.")
        assert other.page.evaluate(f"Object.keys(localStorage).filter(k => k.startsWith('course-checks/{SLUG}/'))") == []


PAGES = ("", "listening/", "trust/", "journal/", "print/", "listening/worksheet/", "trainer/", "trainer/listening/", "trainer/print/", "trainer/listening/worksheet/")


def sweep(axe: Axe, session: Session, options: dict[str, Any]) -> dict[str, list[str]]:
    answer_some(session)
    page = session.page
    page.locator(".course-journal__field").first.fill("Written, so that the commentary shows.")
    failures: dict[str, list[str]] = {}
    for path in PAGES:
        page = session.goto(path)
        for rule, targets in serious_violations(axe, page, options):
            failures.setdefault(rule, []).append(f"{path or '(home)'} at {targets}")
    # A question with nothing chosen, and a commentary still waiting for an answer.
    page = session.goto("trust/")
    page.get_by_role("button", name="Check").click()
    # The click scrolls, and Material's header fades its topic in: colours are read once every transition is over.
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    for rule, targets in serious_violations(axe, page, options):
        failures.setdefault(rule, []).append(f"trust/ (nothing chosen) at {targets}")
    return failures


def test_axe_clean_on_pages_with_checks_light(checks: Session) -> None:
    failures = sweep(Axe(), checks, {"resultTypes": ["violations"]})
    assert not failures, json.dumps(failures, indent=2)


def test_axe_colour_contrast_on_pages_with_checks_dark(dark_checks: Session) -> None:
    page = dark_checks.goto("listening/")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    failures = sweep(Axe(), dark_checks, {"runOnly": {"type": "rule", "values": ["color-contrast"]}, "resultTypes": ["violations"]})
    assert not failures, json.dumps(failures, indent=2)
