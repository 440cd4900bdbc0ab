"""A session's calendar: RFC 5545 text, exactly (CRLF, folding at 75 octets, escaping, one event a day)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from builder.ics import calendar, escape, fold
from builder.schedule import BreakSlot, DaySchedule, place_module

from .test_schedule import B, M

STAMP = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_escaping() -> None:
    assert escape('a\\b; c, d\ne "f"') == 'a\\\\b\\; c\\, d\\ne "f"'


def test_folding_counts_octets_and_never_splits_a_character() -> None:
    assert fold("SUMMARY:short") == "SUMMARY:short\r\n"
    line = "DESCRIPTION:" + "é" * 40  # 12 + 80 octets
    folded = fold(line)
    first, second = folded.split("\r\n ")
    assert len(first.encode()) == 75 - 1  # 75 would cut an é in two
    assert folded.endswith("\r\n") and (first + second[:-2]) == line
    assert all(len(part.encode()) <= 75 for part in folded[:-2].split("\r\n"))


def test_a_two_day_session_is_one_event_a_day() -> None:
    welcome = place_module(M("welcome", [B("hi", 15)], title="Welcome, all"), 9 * 60)
    trust = place_module(M("trust", [B("talk", 30)], title="Trust; and why it matters"), 9 * 60 + 25)
    first = DaySchedule(1, date(2027, 3, 4), 540, 585, 600, [welcome, BreakSlot(None, 555, 565), trust])
    second = DaySchedule(2, date(2027, 3, 5), 780, 810, None, [BreakSlot("Lunch", 780, 810)])
    text = calendar("a-course", "spring", "Spring, day", [first, second], STAMP)
    assert text == (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//course builder//sessions//EN\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        "X-WR-CALNAME:Spring\\, day\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:spring-day-1@a-course\r\n"
        "DTSTAMP:20270102T030405Z\r\n"
        "DTSTART:20270304T090000\r\n"
        "DTEND:20270304T100000\r\n"
        "SUMMARY:Spring\\, day (day 1 of 2)\r\n"
        "DESCRIPTION:09:00–09:15 Welcome\\, all\\n09:15–09:25 Break\\n09:25–09:55\r\n"  # 75 octets: – is 3
        "  Trust\\; and why it matters\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:spring-day-2@a-course\r\n"
        "DTSTAMP:20270102T030405Z\r\n"
        "DTSTART:20270305T130000\r\n"
        "DTEND:20270305T133000\r\n"
        "SUMMARY:Spring\\, day (day 2 of 2)\r\n"
        "DESCRIPTION:13:00–13:30 Lunch\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
