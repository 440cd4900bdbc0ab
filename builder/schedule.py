"""Schedule arithmetic: where each module, block and break of a day falls on the clock.

Pure functions over modules (resolved ones, or outlines of module files during validation) and
session plans; no templates, no engine. A module's time is its ``duration``, else the sum of its
timed blocks. Timed blocks take their own minutes, in order. The time a module gives beyond its
timed blocks is shared among its untimed blocks, where they stand (in equal whole minutes, the
earlier ones taking any minute left over), and shown as "other content"; a module with no
untimed block shows that time as "unallocated" at its end. So every minute of a module is
somewhere, and the next thing starts when the module ends.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

MINUTES_A_DAY = 24 * 60


class BlockLike(Protocol):
    @property
    def anchor(self) -> str: ...
    @property
    def duration(self) -> int | None: ...


class ModuleLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def duration(self) -> int | None: ...
    @property
    def blocks(self) -> Sequence[Any]: ...  # BlockLike each


@dataclass(frozen=True)
class PlacedBlock:
    """A block at its place: from ``start`` to ``end`` (minutes); ``timed`` when the author gave its duration."""

    block: Any
    start: int
    end: int
    timed: bool

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Row:
    """A line of a module's schedule: a timed block, a run of untimed blocks ("other content") or unallocated time."""

    kind: Literal["block", "other", "unallocated"]
    start: int
    end: int
    blocks: tuple[Any, ...] = ()

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass
class ModuleSlot:
    """A module placed in time. ``over``: minutes its timed blocks need beyond the time the session gives it."""

    module: Any
    start: int
    end: int
    blocks: list[PlacedBlock]
    rows: list[Row]
    skipped: list[Any] = field(default_factory=list)
    over: int = 0
    kind: Literal["module"] = "module"

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass
class BreakSlot:
    title: str | None  # None: the default title ("Break"), which the page or calendar words
    start: int
    end: int
    kind: Literal["break"] = "break"

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass
class DaySchedule:
    """One day of a session: its items in clock time (minutes since midnight), and how it ends against ``limit``."""

    number: int
    date: date
    start: int
    end: int
    limit: int | None
    items: list[ModuleSlot | BreakSlot]

    @property
    def left(self) -> int:
        """Minutes between the plan's end and the day's ``end`` (0 when there is no ``end`` or no time left)."""
        return max(0, self.limit - self.end) if self.limit is not None else 0

    @property
    def overrun(self) -> int:
        """Minutes the plan runs past the day's ``end``."""
        return max(0, self.end - self.limit) if self.limit is not None else 0

    @property
    def modules(self) -> list[ModuleSlot]:
        return [item for item in self.items if isinstance(item, ModuleSlot)]


def shares(total: int, count: int) -> list[int]:
    """``total`` minutes in ``count`` whole shares as equal as can be, the earlier ones taking the minutes left over."""
    if count <= 0:
        return []
    each, extra = divmod(max(0, total), count)
    return [each + (1 if i < extra else 0) for i in range(count)]


def _time_of(module: ModuleLike) -> int:
    return module.duration or sum(b.duration or 0 for b in module.blocks)


def place_module(module: ModuleLike, start: int, skip: Collection[str] = (), duration: int | None = None) -> ModuleSlot:
    """Place ``module`` from ``start``, leaving out the blocks whose anchors are in ``skip``; ``duration`` is the
    time a session gives it (default: the module's own time less what the skipped blocks took)."""
    blocks = list(module.blocks)
    untimed = [b for b in blocks if not b.duration]
    full = _time_of(module)
    spare = full - sum(b.duration or 0 for b in blocks)
    share = dict(zip((id(b) for b in untimed), shares(spare, len(untimed)), strict=True))
    kept = [b for b in blocks if b.anchor not in skip]
    skipped = [b for b in blocks if b.anchor in skip]
    if duration is None:
        duration = full - sum(b.duration or share.get(id(b), 0) for b in skipped)
    timed_minutes = sum(b.duration or 0 for b in kept)
    over = max(0, timed_minutes - duration)
    kept_untimed = [b for b in kept if not b.duration]
    spare = max(0, duration - timed_minutes)
    share = dict(zip((id(b) for b in kept_untimed), shares(spare, len(kept_untimed)), strict=True))

    placed: list[PlacedBlock] = []
    rows: list[Row] = []
    at = start
    run: list[PlacedBlock] = []

    def close_run() -> None:
        if run and run[-1].end > run[0].start:
            rows.append(Row("other", run[0].start, run[-1].end, tuple(p.block for p in run)))
        run.clear()

    for block in kept:
        minutes = block.duration or share[id(block)]
        item = PlacedBlock(block, at, at + minutes, bool(block.duration))
        placed.append(item)
        if item.timed:
            close_run()
            rows.append(Row("block", item.start, item.end, (block,)))
        else:
            run.append(item)
        at += minutes
    close_run()
    if not kept_untimed and spare:
        rows.append(Row("unallocated", at, at + spare))
        at += spare
    return ModuleSlot(module, start, at, placed, rows, skipped, over)


def place_course(modules: Sequence[ModuleLike]) -> list[ModuleSlot]:
    """Every module of the course one after the other from 0: the agenda's times, from the start of the course."""
    slots, at = [], 0
    for module in modules:
        slot = place_module(module, at)
        slots.append(slot)
        at = slot.end
    return slots


def minutes_of(clock: str) -> int:
    """``"09:30"`` -> 570."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def clock_of(minutes: int) -> str:
    """570 -> ``"09:30"``; a time past midnight keeps counting (``"24:10"``), as validation refuses such a day."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def plan_day(number: int, day: Any, modules: Mapping[str, ModuleLike]) -> DaySchedule:
    """One day of a session (a validated ``Day``): its items from ``start``, in order. Modules not in
    ``modules`` are left out (validation has reported them)."""
    start = minutes_of(day.start)
    at = start
    items: list[ModuleSlot | BreakSlot] = []
    for entry in day.plan:
        if entry.module is None:
            minutes = getattr(entry, "break")
            items.append(BreakSlot(entry.title, at, at + minutes))
            at += minutes
        elif entry.module in modules:
            slot = place_module(modules[entry.module], at, set(entry.skip), entry.duration)
            items.append(slot)
            at = slot.end
    limit = minutes_of(day.end) if day.end is not None else None
    return DaySchedule(number, day.date, start, at, limit, items)


def plan_session(days: Sequence[Any], modules: Mapping[str, ModuleLike]) -> list[DaySchedule]:
    return [plan_day(n, day, modules) for n, day in enumerate(days, start=1)]
