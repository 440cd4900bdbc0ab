"""Session files: the scaffold builds as it is, the schema describes them, and a valid session reaches the course."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from builder.cli import main
from builder.resolve import resolve
from builder.scaffold import new_session
from builder.validate import load_course

from .conftest import FIXTURES, REPO, copy_course


def test_new_session_is_valid_and_goes_through_every_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_course("tiny", tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["new", "session", 'Spring "pilot": day 1']) == 0
    assert capsys.readouterr().out == "Created content/sessions/spring-pilot-day-1.yml\n"
    course = resolve(load_course(tmp_path / "content"))
    session = next(s for s in course.sessions if s.id == "spring-pilot-day-1")
    assert (session.id, session.model.title, session.model.publish) == ("spring-pilot-day-1", 'Spring "pilot": day 1', True)
    assert [(p.module, getattr(p, "break")) for p in session.model.days[0].plan] == [("first-steps", None), (None, 15), ("second", None)]
    assert main(["new", "session", "Spring pilot: day 1!"]) == 1
    assert "exists already" in capsys.readouterr().err


def test_new_session_file_text(tmp_path: Path) -> None:
    content = copy_course("base", tmp_path)
    path = new_session(content, "Autumn", today=date(2027, 9, 1))
    assert path.read_text() == (
        "# yaml-language-server: $schema=../../schema/session.schema.json\n"
        'title: "Autumn"\n'
        "cohort: Who this delivery is for\n"
        "notes: |\n"
        "  For you, the trainer: what to prepare, what to remember on the day.\n"
        "publish: true  # false: participants get no schedule page\n"
        "days:\n"
        "  - date: 2027-09-01\n"
        '    start: "09:00"\n'
        '    # end: "16:30"  # when the day must end; the plan must fit\n'
        "    plan:\n"
        "      - module: intro\n"
        "      - break: 15\n"
        "      - module: practice\n"
    )
    with pytest.raises(ValueError, match="cannot make a session id"):
        new_session(content, "!!!")


def test_session_schema() -> None:
    schema = json.loads((REPO / "schema" / "session.schema.json").read_text())
    assert schema["required"] == ["title", "days"] and schema["additionalProperties"] is False
    day = schema["definitions"]["Day"]
    assert day["required"] == ["date", "start", "plan"]
    assert day["properties"]["date"]["format"] == "date"
    item = schema["definitions"]["PlanItem"]
    assert item["oneOf"] == [{"required": ["module"]}, {"required": ["break"]}]
    assert {"module", "break", "skip", "duration", "title"} <= set(item["properties"])


def test_x_fields_are_kept_aside(tmp_path: Path) -> None:
    content = copy_course("base", tmp_path, FIXTURES / "bad" / "session-unknown-field")
    (content / "sessions" / "pilot.yml").write_text(
        "title: Pilot\nx-room: B12\ndays:\n  - date: 2027-03-04\n    start: \"09:00\"\n    x-note: early\n    plan:\n      - module: intro\n"
    )
    [session] = load_course(content).sessions
    assert session.model._extensions == {"x-room": "B12"}
    assert session.model.days[0]._extensions == {"x-note": "early"}


@pytest.fixture(scope="module")
def tiny_site():
    from builder.render import Renderer

    return Renderer(resolve(load_course(FIXTURES / "tiny"))).site()


def test_sessions_have_a_navigation_section(tiny_site) -> None:
    from builder.render import nav

    assert nav(tiny_site["trainer"])[-1] == {"Sessions": [{"Trainers&#x27; rehearsal": "sessions/rehearsal.md"}, {"Evening workshop": "sessions/workshop.md"}]}
    assert nav(tiny_site["participant"])[-1] == {"Sessions": [{"Evening workshop": "sessions/workshop.md"}]}


def test_the_participant_schedule_holds_nothing_from_the_trainer_side(tiny_site) -> None:
    participant = {p.path: p.markdown for p in tiny_site["participant"]}
    trainer = {p.path: p.markdown for p in tiny_site["trainer"]}
    assert "sessions/rehearsal.md" not in participant and "Trainers' rehearsal" not in "".join(participant.values())
    page = participant["sessions/workshop.md"]
    for marker in ("SESSION-NOTES-TRAINER-ONLY", "FACILITATOR-NOTE", "TRAINER-INTENTION", "Rapport video", "Think &amp; Share", "Trainer only", "Run sheet"):
        assert marker not in page
        assert marker in trainer["sessions/workshop.md"]
    assert "TRAINER-ONLY-BLOCK" not in page
    assert "| **18:00** | **[1. First \\*steps\\*](../first-steps.md)** | **30 min** | **18:30** |" in page
    assert "| 18:30 | <span class=\"course-schedule-break\">Tea</span> | 10 min | 18:40 |" in page
    assert participant["sessions/workshop.ics"] == trainer["sessions/workshop.ics"]  # the calendar is the schedule only


def test_the_trainer_schedule_has_the_days_end_and_what_is_left(tiny_site) -> None:
    page = {p.path: p.markdown for p in tiny_site["trainer"]}["sessions/workshop.md"]
    assert "The plan ends at 18:40; the day ends at 19:30: 50 min left." in page
    assert "| 18:10 | ↳ [Reflective Activity](../first-steps.md#reflective-activity) | 5 min | 18:15 |" in page
    assert 'This session skips: <a href="../../first-steps/#rapport-video">Rapport video</a> (4 min)' in page
    assert "### 18:10 · Reflective Activity { #run-first-steps--reflective-activity }" in page
