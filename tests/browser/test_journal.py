"""The journal: a labelled text area under every prompt, kept in this browser, exported and imported."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from browser_support import COURSE, VIDEO_MODULE, Session, instant_navigate
from playwright.sync_api import Dialog, Page, expect

OTHER_MODULE = "boundaries"
FIRST = f'.course-journal[data-module="{VIDEO_MODULE}"][data-prompt="1"]'
SECOND = f'.course-journal[data-module="{VIDEO_MODULE}"][data-prompt="2"]'
OTHER = f'.course-journal[data-module="{OTHER_MODULE}"]'

ANSWER = "My family says a baby should never cry for long.\nSecond line — with “quotes” & <angle brackets>."
OTHER_ANSWER = "A boundary is a promise about what I can keep doing."


def journal_storage(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries(Object.keys(localStorage)
            .filter(k => k.startsWith("course-journal/") || k.startsWith("course-progress/"))
            .map(k => [k, localStorage.getItem(k)]))"""
    )


def fields(page: Page) -> dict[str, str]:
    """Every journal field of the page: its prompt id, and what it holds."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(".course-journal")].map(hook =>
            [hook.dataset.label, (hook.querySelector("textarea") || {value: null}).value]))"""
    )


def write_two_answers(session: Session) -> None:
    page = session.goto(f"{VIDEO_MODULE}/")
    page.locator(f"{FIRST} textarea").fill(ANSWER)
    page = session.goto(f"{OTHER_MODULE}/")
    page.locator(f"{OTHER} textarea").first.fill(OTHER_ANSWER)


def read_download(page: Page, button: str) -> tuple[str, str]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")


def test_text_area_is_labelled_by_its_prompt_and_says_where_it_is_kept(session: Session) -> None:
    page = session.goto(f"{VIDEO_MODULE}/")
    hook = page.locator(FIRST)
    prompt_id = hook.get_attribute("data-label")
    area = hook.locator("textarea")
    expect(area).to_have_count(1)
    assert prompt_id in (area.get_attribute("aria-labelledby") or "").split()
    prompt = page.locator(f"#{prompt_id}").inner_text().strip()
    expect(page.get_by_role("textbox", name=re.compile(re.escape(prompt[:40])))).to_have_count(1)
    expect(hook.get_by_text("Your notes", exact=True)).to_be_visible()
    expect(hook).to_contain_text("on this device only")
    expect(hook).to_contain_text("Never sent anywhere")
    # Every prompt on the page has its own field; the trainer view has none.
    assert page.locator(".course-prompt").count() == page.locator(".course-journal textarea").count() == 2
    session.goto(f"trainer/{VIDEO_MODULE}/")
    expect(page.locator(".course-prompt").first).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)


def test_answer_survives_reload_and_navigation(session: Session) -> None:
    page = session.goto(f"{VIDEO_MODULE}/")
    page.locator(f"{FIRST} textarea").click()
    page.keyboard.type("Typed, not pasted.")
    page.reload()
    expect(page.locator(f"{FIRST} textarea")).to_have_value("Typed, not pasted.")

    # Away and back with full page loads.
    page.get_by_role("navigation", name="Navigation").get_by_role("link", name="Boundaries and the alliance").click()
    expect(page.locator("h1")).to_have_text(re.compile("Boundaries"))
    session.goto(f"{VIDEO_MODULE}/")
    expect(page.locator(f"{FIRST} textarea")).to_have_value("Typed, not pasted.")

    # Away and back with Material's instant navigation: the page is set up again, once.
    instant_navigate(page, f"../{OTHER_MODULE}/")
    expect(page.locator(f"{OTHER} textarea").first).to_be_visible()
    page.locator(f"{OTHER} textarea").first.fill(OTHER_ANSWER)
    instant_navigate(page, f"../{VIDEO_MODULE}/")
    expect(page.locator(f"{FIRST} textarea")).to_have_value("Typed, not pasted.")
    expect(page.locator(f"{FIRST} textarea")).to_have_count(1)
    page.locator(f"{SECOND} textarea").fill("Written after an instant navigation.")
    instant_navigate(page, "../journal/")
    expect(page.locator(f"{FIRST} textarea")).to_have_value("Typed, not pasted.")
    expect(page.locator(f"{SECOND} textarea")).to_have_value("Written after an instant navigation.")
    expect(page.locator(f"{OTHER} textarea").first).to_have_value(OTHER_ANSWER)
    expect(page.locator(".course-journal-tools__count")).to_have_text(re.compile(r"answered 3 of \d+ prompts"))


def test_journal_page_gathers_every_prompt_by_module(session: Session) -> None:
    write_two_answers(session)
    page = session.goto("journal/")
    answers = fields(page)
    assert sum(1 for value in answers.values() if value) == 2
    assert ANSWER in answers.values() and OTHER_ANSWER in answers.values()
    # Each answer sits under its prompt, in its module's section.
    first = page.locator(FIRST)
    prompt = page.locator(f"#{first.get_attribute('data-label')}")
    expect(prompt).to_be_visible()
    assert page.evaluate(
        "([p, h]) => !!(document.getElementById(p).compareDocumentPosition(document.querySelector(h)) & 4)",
        [first.get_attribute("data-label"), FIRST],
    )
    expect(page.locator(f"h2#{VIDEO_MODULE}")).to_be_visible()


def test_export_as_json_and_markdown(session: Session) -> None:
    write_two_answers(session)
    page = session.goto("journal/")
    prompt_text = page.locator(f"#{page.locator(FIRST).get_attribute('data-label')}").inner_text().strip()

    name, text = read_download(page, "Download as JSON")
    assert name.endswith(".json") and COURSE in name
    data = json.loads(text)
    assert data["format"] == "course-journal" and data["version"] == 1 and data["course"] == COURSE
    answers = {(a["module"], a["prompt"]): a for a in data["answers"]}
    assert len(data["answers"]) == 2
    first = answers[(VIDEO_MODULE, 1)]
    assert first["text"] == ANSWER
    assert first["block"] == page.locator(FIRST).get_attribute("data-block")
    assert first["promptText"] == prompt_text
    assert answers[(OTHER_MODULE, 1)]["text"] == OTHER_ANSWER

    name, markdown = read_download(page, "Download as Markdown")
    assert name.endswith(".md")
    assert markdown.startswith("# My journal: Building a Therapeutic Alliance\n")
    assert ANSWER in markdown and OTHER_ANSWER in markdown
    assert "## Culture, race and the alliance" in markdown
    assert f"> {prompt_text}" in markdown
    # Module order is the course's: culture (7) before boundaries (8); each answer under its prompt.
    assert markdown.index(ANSWER) < markdown.index(OTHER_ANSWER)
    assert markdown.index(f"> {prompt_text}") < markdown.index(ANSWER)


def export_json(session: Session) -> str:
    page = session.goto("journal/")
    return read_download(page, "Download as JSON")[1]


def import_file(page: Page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import a JSON file…").click()
    chooser.value.set_files(str(path))


def test_import_restores_a_journal_in_a_fresh_browser(session: Session, other_session: Session, tmp_path: Path) -> None:
    write_two_answers(session)
    session.goto(f"{VIDEO_MODULE}/").get_by_role("button", name="I have finished this module").click()
    exported = tmp_path / "journal.json"
    exported.write_text(export_json(session), encoding="utf-8")

    page = other_session.goto("journal/")
    assert not any(fields(page).values())
    import_file(page, exported)
    expect(page.locator(".course-journal-tools__message")).to_contain_text("Imported 2 answers")
    expect(page.locator(f"{FIRST} textarea")).to_have_value(ANSWER)
    other_session.goto(f"{OTHER_MODULE}/")
    expect(page.locator(f"{OTHER} textarea").first).to_have_value(OTHER_ANSWER)
    other_session.goto("")
    expect(page.locator(f'.course-status[data-module="{VIDEO_MODULE}"]')).to_have_text(re.compile("Done"))

    # Importing over answers already written asks first; saying no changes nothing.
    page = other_session.goto("journal/")
    page.locator(f"{FIRST} textarea").fill("A newer answer written here.")
    before = journal_storage(page)
    asked: list[str] = []

    def answer(accept: bool) -> Any:
        def handle(dialog: Dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    import_file(page, exported)
    expect(page.locator(".course-journal-tools__message")).to_contain_text("Nothing was changed")
    assert asked and "replace 1 answer" in asked[0]
    assert journal_storage(page) == before
    expect(page.locator(f"{FIRST} textarea")).to_have_value("A newer answer written here.")

    page.once("dialog", answer(True))
    import_file(page, exported)
    expect(page.locator(f"{FIRST} textarea")).to_have_value(ANSWER)


def test_import_refuses_malformed_and_foreign_files(session: Session, tmp_path: Path) -> None:
    write_two_answers(session)
    good = json.loads(export_json(session))
    page = session.goto("journal/")
    before_storage, before_fields = journal_storage(page), fields(page)
    message = page.locator(".course-journal-tools__message")

    def other_course() -> Any:
        return {**good, "course": "another-course", "courseTitle": "Another course"}

    def bad_answer() -> Any:
        return {**good, "answers": [{"module": VIDEO_MODULE, "block": "x", "prompt": "one", "text": 3}]}

    cases = {
        "not-json.json": ("{ this is not JSON", "not a JSON file"),
        "array.json": ("[1, 2, 3]", "not a journal"),
        "other-format.json": (json.dumps({"format": "something-else", "answers": []}), "not a journal"),
        "other-course.json": (json.dumps(other_course()), "another course (Another course)"),
        "bad-answer.json": (json.dumps(bad_answer()), "not a journal"),
        "no-answers.json": (json.dumps({**good, "answers": {"a": 1}}), "not a journal"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        page.evaluate("() => { document.querySelector('.course-journal-tools__message').textContent = ''; }")
        import_file(page, path)
        expect(message).to_contain_text(expected)
        expect(message).to_contain_text("Nothing was imported")
        assert journal_storage(page) == before_storage, name
        assert fields(page) == before_fields, name
    page.reload()
    assert fields(page) == before_fields


def test_clear_all_asks_first_then_empties_journal_and_progress(session: Session) -> None:
    write_two_answers(session)
    session.goto(f"{OTHER_MODULE}/").get_by_role("button", name="I have finished this module").click()
    page = session.goto("journal/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear my journal and progress…").click()
    expect(page.locator(".course-journal-tools__message")).to_have_text("Nothing was deleted.")
    assert len(journal_storage(page)) == 3

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my journal and progress…").click()
    expect(page.locator(".course-journal-tools__message")).to_contain_text("deleted")
    assert journal_storage(page) == {}
    assert not any(fields(page).values())
    page.reload()
    assert not any(fields(page).values())


BLOCK_ALL_WRITES = "Storage.prototype.setItem = function () { throw new DOMException('blocked', 'QuotaExceededError'); };"
BLOCK_JOURNAL_WRITES = """
const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (String(key).startsWith("course-journal/")) throw new DOMException("full", "QuotaExceededError");
  return setItem.call(this, key, value);
};
"""


def test_without_storage_the_page_says_so_and_keeps_working(session: Session) -> None:
    session.context.add_init_script(BLOCK_ALL_WRITES)
    page = session.goto(f"{VIDEO_MODULE}/")
    expect(page.locator(FIRST)).to_contain_text("not letting the course save")
    page.locator(f"{FIRST} textarea").fill("Kept only for now.")
    page.get_by_role("button", name="I have finished this module").click()
    expect(page.get_by_role("button", name="I have finished this module")).to_have_attribute("aria-pressed", "true")
    # Within the page's life the answer is still there, across instant navigation.
    instant_navigate(page, "../journal/")
    expect(page.locator(f"{FIRST} textarea")).to_have_value("Kept only for now.")
    expect(page.locator(".course-journal-tools")).to_contain_text("not letting the course save")


def test_full_storage_is_reported_when_saving_fails(session: Session) -> None:
    session.context.add_init_script(BLOCK_JOURNAL_WRITES)
    page = session.goto(f"{VIDEO_MODULE}/")
    expect(page.locator(FIRST)).to_contain_text("Saved as you type")
    page.locator(f"{FIRST} textarea").fill("This will not fit.")
    expect(page.locator(FIRST)).to_contain_text("storage for the course is full")
    expect(page.locator(f"{FIRST} textarea")).to_have_value("This will not fit.")
