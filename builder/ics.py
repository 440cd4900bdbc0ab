"""A session as an iCalendar file (RFC 5545), for participants' and co-trainers' calendars.

One event a day: the day's start to its ``end`` (or to the end of its plan), with the day's
schedule (clock times, module titles, breaks) as the description; nothing from the trainer's side.
Times are floating local times: the session file gives wall-clock times and no time zone, so a
calendar shows 09:00 wherever it is opened. Lines end in CRLF and are folded at 75 octets.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .messages import _
from .schedule import BreakSlot, DaySchedule, clock_of


def escape(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character; CRLF-terminated."""
    data = line.encode("utf-8")
    parts: list[bytes] = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # a continuation byte: step back to the character's start
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # continuation lines start with a space
    parts.append(data)
    return "\r\n ".join(part.decode("utf-8") for part in parts) + "\r\n"


def _local(day: DaySchedule, minutes: int) -> str:
    return f"{day.date.strftime('%Y%m%d')}T{minutes // 60:02d}{minutes % 60:02d}00"


def _item_title(item: object) -> str:
    if isinstance(item, BreakSlot):
        return item.title or _("Break")
    return str(item.module.title)  # type: ignore[attr-defined]


def calendar(course_slug: str, session_id: str, title: str, days: Sequence[DaySchedule], stamp: datetime) -> str:
    """The calendar of one session; ``stamp`` (UTC) is its DTSTAMP."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//course builder//sessions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(title)}",
    ]
    for day in days:
        summary = _("%(title)s (day %(number)d of %(count)d)") % {"title": title, "number": day.number, "count": len(days)} if len(days) > 1 else title
        description = "\n".join(f"{clock_of(item.start)}–{clock_of(item.end)} {_item_title(item)}" for item in day.items)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{session_id}-day-{day.number}@{course_slug}",
            f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART:{_local(day, day.start)}",
            *([f"DTEND:{_local(day, end)}"] if (end := day.limit if day.limit is not None else day.end) > day.start else []),
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
