"""Schedule arithmetic: module offsets, untimed blocks' share of a module's time, breaks, skips, overrides, day ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from builder.resolve import resolve
from builder.schedule import clock_of, place_course, place_module, plan_session, shares
from builder.sessions import Session
from builder.validate import load_course

from .conftest import REPO


@dataclass
class B:
    anchor: str
    duration: int | None = None


@dataclass
class M:
    id: str
    blocks: list[B]
    duration: int | None = None
    title: str = ""


def rows(slot) -> list[tuple[str, str, str, list[str]]]:
    return [(r.kind, clock_of(r.start), clock_of(r.end), [b.anchor for b in r.blocks]) for r in slot.rows]


# Like module 7 of the default course: a text, two videos and an activity, then four untimed blocks; 40 min.
CULTURE = M("culture", [B("text"), B("video-1", 6), B("video-2", 6), B("genogram", 12), B("a"), B("b"), B("c"), B("d")], 40)


def test_shares_are_whole_minutes_the_earlier_taking_the_rest() -> None:
    assert shares(16, 5) == [4, 3, 3, 3, 3]
    assert shares(8, 4) == [2, 2, 2, 2]
    assert shares(0, 3) == [0, 0, 0]
    assert shares(5, 0) == []


def test_blocks_sit_at_their_real_offset_and_the_module_adds_up() -> None:
    slot = place_module(CULTURE, 9 * 60)
    assert rows(slot) == [
        ("other", "09:00", "09:04", ["text"]),
        ("block", "09:04", "09:10", ["video-1"]),
        ("block", "09:10", "09:16", ["video-2"]),
        ("block", "09:16", "09:28", ["genogram"]),
        ("other", "09:28", "09:40", ["a", "b", "c", "d"]),
    ]
    assert (clock_of(slot.start), clock_of(slot.end), slot.minutes) == ("09:00", "09:40", 40)
    assert [(p.block.anchor, clock_of(p.start), p.timed) for p in slot.blocks][:2] == [("text", "09:00", False), ("video-1", "09:04", True)]


def test_time_with_no_untimed_block_to_take_it_is_unallocated_at_the_end() -> None:
    slot = place_module(M("m", [B("one", 10), B("two", 5)], 25), 0)
    assert rows(slot) == [("block", "00:00", "00:10", ["one"]), ("block", "00:10", "00:15", ["two"]), ("unallocated", "00:15", "00:25", [])]


def test_a_module_without_duration_is_its_timed_blocks_and_untimed_ones_take_no_time() -> None:
    slot = place_module(M("m", [B("text"), B("one", 10), B("more"), B("two", 5)]), 60)
    assert rows(slot) == [("block", "01:00", "01:10", ["one"]), ("block", "01:10", "01:15", ["two"])]
    assert [clock_of(p.start) for p in slot.blocks] == ["01:00", "01:00", "01:10", "01:10"]


def test_skipping_blocks_takes_their_time_out() -> None:
    slot = place_module(CULTURE, 600, skip={"video-2", "text"})
    assert rows(slot) == [
        ("block", "10:00", "10:06", ["video-1"]),
        ("block", "10:06", "10:18", ["genogram"]),
        ("other", "10:18", "10:30", ["a", "b", "c", "d"]),
    ]
    assert [b.anchor for b in slot.skipped] == ["text", "video-2"]


def test_a_session_duration_overrides_the_module_time() -> None:
    slot = place_module(CULTURE, 600, duration=30)
    assert rows(slot) == [
        ("other", "10:00", "10:02", ["text"]),
        ("block", "10:02", "10:08", ["video-1"]),
        ("block", "10:08", "10:14", ["video-2"]),
        ("block", "10:14", "10:26", ["genogram"]),
        ("other", "10:26", "10:30", ["a", "b", "c", "d"]),
    ]
    short = place_module(CULTURE, 600, duration=20)
    assert (clock_of(short.end), short.over) == ("10:24", 4)  # the timed blocks need 24 min: 4 more than given


def test_agenda_places_modules_one_after_another() -> None:
    slots = place_course([M("a", [B("x", 10)], 15), CULTURE])
    assert [(s.module.id, clock_of(s.start), clock_of(s.end)) for s in slots] == [("a", "00:00", "00:15"), ("culture", "00:15", "00:55")]
    assert rows(slots[0])[-1] == ("unallocated", "00:10", "00:15", [])


def session(days: list[dict]) -> Session:
    return Session.model_validate({"title": "S", "days": days})


MODULES = {"intro": M("intro", [B("hello"), B("warm-up", 10)], 15), "culture": CULTURE}


def test_a_day_with_breaks_lunch_and_time_left() -> None:
    plan = session(
        [
            {
                "date": "2027-03-04",
                "start": "09:00",
                "end": "11:00",
                "plan": [{"module": "intro"}, {"break": 15}, {"module": "culture"}, {"break": 45, "title": "Lunch"}],
            }
        ]
    )
    [day] = plan_session(plan.days, MODULES)
    assert day.date == date(2027, 3, 4)
    assert [(i.kind, clock_of(i.start), clock_of(i.end)) for i in day.items] == [
        ("module", "09:00", "09:15"),
        ("break", "09:15", "09:30"),
        ("module", "09:30", "10:10"),
        ("break", "10:10", "10:55"),
    ]
    assert [i.title for i in day.items if i.kind == "break"] == [None, "Lunch"]
    assert rows(day.items[0]) == [("other", "09:00", "09:05", ["hello"]), ("block", "09:05", "09:15", ["warm-up"])]
    assert (clock_of(day.end), day.left, day.overrun) == ("10:55", 5, 0)


def test_overrun_and_several_days() -> None:
    plan = session(
        [
            {"date": "2027-03-04", "start": "13:30", "end": "14:00", "plan": [{"module": "intro"}, {"break": 10}, {"module": "culture", "duration": 30}]},
            {"date": "2027-03-05", "start": "08:45", "plan": [{"module": "intro", "skip": ["hello"]}]},
        ]
    )
    first, second = plan_session(plan.days, MODULES)
    assert (first.number, clock_of(first.end), first.left, first.overrun) == (1, "14:25", 0, 25)
    assert (second.number, second.date, clock_of(second.start), clock_of(second.end)) == (2, date(2027, 3, 5), "08:45", "08:55")
    assert second.left == second.overrun == 0  # no `end`: nothing to measure against
    assert rows(second.items[0]) == [("block", "08:45", "08:55", ["warm-up"])]


def test_the_default_course_full_day_adds_up() -> None:
    course = resolve(load_course(REPO / "content"))
    full_day = next(s for s in course.sessions if s.id == "full-day")
    [day] = plan_session(full_day.model.days, {m.id: m for m in course.modules})
    assert [(clock_of(i.start), i.kind) for i in day.items if i.kind == "break"] == [("10:20", "break"), ("12:20", "break"), ("14:25", "break")]
    assert (clock_of(day.end), day.left) == ("15:45", 15)
    culture = next(i for i in day.items if i.kind == "module" and i.module.id == "culture-and-alliance")
    assert (clock_of(culture.start), clock_of(culture.end)) == ("11:00", "11:40")
    assert rows(culture)[-1][1:3] == ("11:26", "11:40")  # the activities end where the module's last blocks begin

