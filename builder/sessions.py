"""Sessions: a trainer's plan for one delivery of the course, ``content/sessions/<id>.yml``.

The models say what a session file may hold; :func:`load_sessions` reads every session file with
the course's loader (so errors carry file, line and column) and checks what spans files: each
planned module exists and appears once, each skipped block is a block of its module, and each
day's plan fits before its ``end`` (measured by :mod:`builder.schedule`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model, model_validator
from pydantic_core import PydanticCustomError

from .errors import ContentError, Loc, did_you_mean, display_path, format_path
from .fields import Markdown, Minutes, PlainText, describe, slugify
from .loader import Document
from .model import Strict, _allow_extensions
from .resolve import block_anchors
from .schedule import MINUTES_A_DAY, clock_of, plan_day

if TYPE_CHECKING:
    from .validate import CourseLoader, ModuleSource

SESSION_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip() if isinstance(value, str) else ""
    if _DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise PydanticCustomError("date", "expected a date as YYYY-MM-DD (e.g. 2027-03-04), found {found}", {"found": describe(value)})


def _clock(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if _CLOCK.match(text):
        return text
    hint = ""
    parts = text.split(":")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and int(parts[0]) < 24 and int(parts[1]) < 60:
        hint = f'; write "{int(parts[0]):02d}:{int(parts[1]):02d}"'
    raise PydanticCustomError(
        "clock", 'expected a 24-hour time "HH:MM" in quotes (e.g. "09:00"), found {found}{hint}', {"found": describe(value), "hint": hint}
    )


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise PydanticCustomError("boolean", "expected `true` or `false`, found {found}", {"found": describe(value)})


IsoDate = Annotated[date, BeforeValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date", "description": "YYYY-MM-DD"})]
Clock = Annotated[
    str, BeforeValidator(_clock), WithJsonSchema({"type": "string", "pattern": _CLOCK.pattern, "description": '24-hour "HH:MM", quoted'})
]
Boolean = Annotated[bool, BeforeValidator(_boolean), WithJsonSchema({"type": "boolean"})]
ModuleId = Annotated[str, Field(min_length=1)]

# `break` is a Python keyword, so the model that holds it is made by name.
_Break = create_model(
    "_Break",
    __base__=Strict,
    **{"break": (Minutes | None, Field(None, description="a break of this many minutes (whole number > 0)"))},  # type: ignore[call-overload]
)


def _module_or_break_schema(schema: dict[str, Any]) -> None:
    _allow_extensions(schema)
    schema["oneOf"] = [{"required": ["module"]}, {"required": ["break"]}]


class PlanItem(_Break):  # type: ignore[misc, valid-type]
    """One line of a day's plan: a module (``module``, with ``skip`` and ``duration``) or a break (``break``, ``title``)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_module_or_break_schema)

    module: ModuleId | None = Field(None, description="a module id (its file name without NN- and .yml)")
    skip: list[ModuleId] = Field(default_factory=list, description="ids of the module's blocks this session leaves out")
    duration: Minutes | None = Field(None, description="this session's time for the module, in minutes")
    title: PlainText | None = Field(None, description='the break\'s title (default "Break")')

    @model_validator(mode="after")
    def _module_or_break(self) -> PlanItem:
        minutes = getattr(self, "break")
        if (self.module is None) == (minutes is None):
            found = "both" if self.module is not None else "neither"
            raise PydanticCustomError("plan_item", "a plan item is either `module: <id>` or `break: <minutes>`, found {found}", {"found": found})
        if self.module is None and (self.skip or self.duration is not None):
            raise PydanticCustomError("plan_item", "`skip` and `duration` go with a `module`, not a `break`", {})
        if self.module is not None and self.title is not None:
            raise PydanticCustomError("plan_item", "`title` goes with a `break`; a module keeps its own title", {})
        return self


class Day(Strict):
    """One day of a session."""

    date: IsoDate = Field(description="the day, YYYY-MM-DD")
    start: Clock = Field(description='when the day starts, 24-hour "HH:MM" in quotes')
    end: Clock | None = Field(None, description='when the day must end, "HH:MM"; the plan must fit')
    plan: list[PlanItem] = Field(min_length=1, description="modules and breaks, in order")

    @model_validator(mode="after")
    def _ends_after_start(self) -> Day:
        if self.end is not None and self.end <= self.start:
            raise PydanticCustomError("day_end", "`end` ({end}) must come after `start` ({start})", {"end": self.end, "start": self.start})
        return self


class Session(Strict):
    """A session file: one delivery of the course to one cohort."""

    title: PlainText = Field(description="the session's title (plain text)")
    cohort: PlainText | None = Field(None, description="who this delivery is for")
    notes: Markdown | None = Field(None, description="Markdown for the trainer (trainer view only)")
    publish: Boolean = Field(True, description="participants get a schedule page (default true)")
    days: list[Day] = Field(min_length=1, description="the days of the session, in order")


@dataclass
class SessionSource:
    """A validated session file."""

    id: str
    doc: Document
    model: Session


@dataclass
class _BlockOutline:
    anchor: str
    duration: int | None


@dataclass
class _ModuleOutline:
    """What the schedule needs of a module file, before the course is resolved."""

    id: str
    duration: int | None
    blocks: list[_BlockOutline]


def _outline(module: ModuleSource) -> _ModuleOutline:
    blocks = module.model.blocks
    anchors = block_anchors(blocks)
    return _ModuleOutline(module.id, module.model.duration, [_BlockOutline(a, b.duration) for a, b in zip(anchors, blocks, strict=True)])


def load_sessions(
    loader: CourseLoader, root: Path, modules: list[ModuleSource], known_ids: set[str], errors: list[ContentError]
) -> list[SessionSource]:
    """Read and check every ``sessions/*.yml``; problems go to ``errors``. ``known_ids``: every module file's id,
    including those whose own errors keep them out of ``modules`` (a session naming one is not wrong)."""
    folder = root / "sessions"
    sessions: list[SessionSource] = []
    outlines = {m.id: _outline(m) for m in modules}
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        name = display_path(path)
        if not SESSION_ID.match(path.stem):
            hint = f"; try `{slugify(path.stem)}`" if slugify(path.stem) else ""
            errors.append(ContentError(name, 1, 1, "", f"the session id `{path.stem}` (from the file name) must be lowercase a-z, 0-9 and dashes{hint}"))
            continue
        loaded = loader._validated(path, name, Session, errors)
        if loaded:
            session = SessionSource(path.stem, loaded[0], loaded[1])
            _check_session(session, outlines, known_ids, errors)
            sessions.append(session)
    return sessions


def _check_session(session: SessionSource, outlines: dict[str, _ModuleOutline], known_ids: set[str], errors: list[ContentError]) -> None:
    doc = session.doc
    planned: dict[str, Loc] = {}

    def error(loc: Loc, message: str) -> None:
        errors.append(doc.error(loc, format_path(loc), message))

    for d, day in enumerate(session.model.days):
        for p, item in enumerate(day.plan):
            if item.module is None:
                continue
            loc: Loc = ("days", d, "plan", p, "module")
            if item.module in planned:
                error(loc, f"`{item.module}` is already planned at {format_path(planned[item.module])}; a module appears at most once in a session")
                continue
            planned[item.module] = loc[:-1]
            if item.module not in known_ids:
                hint = did_you_mean(item.module, known_ids) or f"; the modules are {', '.join(f'`{m}`' for m in sorted(known_ids))}"
                error(loc, f"no module `{item.module}`{hint}")
                continue
            outline = outlines.get(item.module)
            if outline is None:
                continue  # the module file has errors of its own
            anchors = [b.anchor for b in outline.blocks]
            for k, block_id in enumerate(item.skip):
                if block_id not in anchors:
                    hint = did_you_mean(block_id, anchors) or f"; its blocks are {', '.join(f'`{a}`' for a in anchors)}"
                    error(("days", d, "plan", p, "skip", k), f"`{block_id}` is not a block of `{item.module}`{hint}")
        schedule = plan_day(d + 1, day, outlines)
        label = f"day {d + 1} ({day.date.isoformat()})"
        if schedule.end > MINUTES_A_DAY:
            error(("days", d, "plan"), f"{label} runs past midnight: its plan ends at {clock_of(schedule.end)}; split it into two days")
        elif schedule.overrun:
            error(
                ("days", d, "end"),
                f"{label} runs {schedule.overrun} min past its end: the plan ends at {clock_of(schedule.end)}, `end` is {day.end}",
            )
