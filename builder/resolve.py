"""Resolve stage: turn a validated course into the normalised form the templates consume.

Here the course gets its order, numbers, anchors, default titles, citation numbers and
back-links, durations and running totals, previous/next links, video embed addresses, and the
list of blocks each view shows. Markdown fields become ``Markup`` (they were checked at
validation), so templates escape everything else.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Literal

from markupsafe import Markup

from .fields import slugify
from .messages import _
from .model import ACTIVITY_TYPES, BlockBase, Video
from .validate import DEFAULT_TITLES, CourseSource

View = Literal["participant", "trainer"]
VIEWS: tuple[View, ...] = ("participant", "trainer")


def _md(value: str | None) -> Markup | None:
    return None if value is None else Markup(value)


def _md_list(values: list[str]) -> list[Markup]:
    return [Markup(v) for v in values]


@dataclass
class Reference:
    key: str
    number: int
    anchor: str
    citation: Markup
    url: str | None
    cited_in: list[tuple[ResolvedModule, ResolvedBlock]] = field(default_factory=list)

    def cited_in_view(self, view: View) -> list[tuple[ResolvedModule, ResolvedBlock]]:
        return [(m, b) for m, b in self.cited_in if b.shown_in(view)]


@dataclass
class VideoEmbed:
    provider: Literal["youtube", "vimeo", "file"]
    video_id: str
    embed_url: str
    watch_url: str


@dataclass
class ResolvedBlock:
    index: int
    type: str
    anchor: str
    title: str | None
    audience: str
    duration: int | None
    facilitator_notes: Markup | None
    cites: list[Reference]
    fields: dict[str, Any]
    video: VideoEmbed | None = None
    offset: int = 0  # minutes from the start of the module

    @property
    def is_activity(self) -> bool:
        return self.type in ACTIVITY_TYPES

    @property
    def prompts(self) -> list[Markup]:
        """What an activity asks, one entry per journal answer: its prompt, prompts or questions."""
        if self.type == "think_and_share":
            return [self.fields["prompt"]]
        return list(self.fields.get("prompts") or self.fields.get("questions") or [])

    def shown_in(self, view: View) -> bool:
        return self.audience in ("all", view)


@dataclass
class ResolvedModule:
    id: str
    number: int
    title: str
    summary: Markup | None
    duration: int | None
    trainer_intentions: list[Markup]
    key_points: list[Markup]
    facilitator_notes: Markup | None
    blocks: list[ResolvedBlock]
    source: str
    offset: int = 0  # minutes from the start of the course
    previous: ResolvedModule | None = None
    next: ResolvedModule | None = None

    def blocks_for(self, view: View) -> list[ResolvedBlock]:
        return [b for b in self.blocks if b.shown_in(view)]

    def has_activities(self, view: View) -> bool:
        return any(b.is_activity for b in self.blocks_for(view))

    def timed_blocks(self) -> list[ResolvedBlock]:
        return [b for b in self.blocks if b.duration]


@dataclass
class ResolvedCourse:
    title: str
    subtitle: str | None
    description: Markup | None
    language: str
    audience: list[Markup]
    authors: list[Markup]
    trainer_intentions: list[Markup]
    references: list[Reference]
    license: Markup | None
    modules: list[ResolvedModule]

    @property
    def duration(self) -> int:
        return sum(m.duration or 0 for m in self.modules)

    @functools.cached_property
    def slug(self) -> str:  # every journal place carries it
        return slugify(self.title) or "course"


def video_embed(block: Video) -> VideoEmbed:
    """Embed and watch addresses, built from the validated id only."""
    start, end = block.start, block.end
    if block.youtube:
        query = "autoplay=1&rel=0" + (f"&start={start}" if start else "") + (f"&end={end}" if end else "")
        return VideoEmbed(
            "youtube",
            block.youtube,
            f"https://www.youtube-nocookie.com/embed/{block.youtube}?{query}",
            f"https://www.youtube.com/watch?v={block.youtube}" + (f"&t={start}s" if start else ""),
        )
    if block.vimeo:
        fragment = f"#t={start}s" if start else ""
        return VideoEmbed(
            "vimeo",
            block.vimeo,
            f"https://player.vimeo.com/video/{block.vimeo}?dnt=1&autoplay=1{fragment}",
            f"https://vimeo.com/{block.vimeo}{fragment}",
        )
    src = block.src or ""
    fragment = f"#t={start or 0}" + (f",{end}" if end else "") if start or end else ""
    return VideoEmbed("file", src, src + fragment, src)


@functools.cache
def _own_fields(cls: type[BlockBase]) -> tuple[str, ...]:
    """The fields of a block type beyond those every block has (looked up once: pydantic is slow to list them)."""
    common = ("title", "id", "audience", "duration", "facilitator_notes", "cite", "type")
    return tuple(name for name in cls.model_fields if name not in common)


def _block(index: int, block: BlockBase, taken: set[str], references: dict[str, Reference], transcripts: dict[str, str]) -> ResolvedBlock:
    written = block.title or DEFAULT_TITLES.get(block.type)  # type: ignore[attr-defined]
    title = block.title or (_(written) if written else None)
    anchor = block.id
    if anchor is None:
        # From the title as written (a default title in English, whatever the course language): answers are stored under the anchor.
        base = slugify(written) if written else f"block-{index + 1}"
        base = base or f"block-{index + 1}"
        anchor, n = base, 1
        while anchor in taken:
            n += 1
            anchor = f"{base}-{n}"
    taken.add(anchor)
    data = {name: getattr(block, name) for name in _own_fields(type(block))}
    for name, value in data.items():
        if name in ("src", "captions", "alt", "label", "youtube", "vimeo", "pages", "url", "start", "end", "grouping", "kind"):
            continue
        if isinstance(value, str):
            data[name] = Markup(value)
        elif isinstance(value, list) and value and isinstance(value[0], str):
            data[name] = _md_list(value)
        elif isinstance(value, list):
            data[name] = [
                {k: (Markup(v) if k == "body" and v is not None else v) for k, v in item.model_dump().items()} for item in value
            ]
    video = None
    if isinstance(block, Video):
        video = video_embed(block)
        if block.transcript and block.transcript.strip() in transcripts:
            data["transcript"] = Markup(transcripts[block.transcript.strip()])
    return ResolvedBlock(
        index=index,
        type=block.type,  # type: ignore[attr-defined]
        anchor=anchor,
        title=title,
        audience=block.audience,
        duration=block.duration,
        facilitator_notes=_md(block.facilitator_notes),
        cites=[references[key] for key in dict.fromkeys(block.cite)],
        fields=data,
        video=video,
    )


def resolve(source: CourseSource) -> ResolvedCourse:
    course = source.model
    references = {
        ref.key: Reference(ref.key, i + 1, f"ref-{slugify(ref.key) or i + 1}", Markup(ref.citation), ref.url)
        for i, ref in enumerate(course.references)
    }
    modules: list[ResolvedModule] = []
    offset = 0
    for number, module_source in enumerate(source.modules, start=1):
        model = module_source.model
        # Explicit ids are claimed first, so a default id never takes one an author chose.
        taken = {b.id for b in model.blocks if b.id is not None}
        blocks: list[ResolvedBlock] = []
        for i, written in enumerate(model.blocks):
            if written.id is not None:
                taken.discard(written.id)
            blocks.append(_block(i, written, taken, references, source.transcripts))
        block_offset = 0
        for resolved in blocks:
            resolved.offset = block_offset
            block_offset += resolved.duration or 0
        duration = model.duration or (block_offset or None)
        module = ResolvedModule(
            id=module_source.id,
            number=number,
            title=model.title,
            summary=_md(model.summary),
            duration=duration,
            trainer_intentions=_md_list(model.trainer_intentions),
            key_points=_md_list(model.key_points),
            facilitator_notes=_md(model.facilitator_notes),
            blocks=blocks,
            source=module_source.doc.name,
            offset=offset,
        )
        offset += duration or 0
        for resolved in blocks:
            for reference in resolved.cites:
                reference.cited_in.append((module, resolved))
        if modules:
            modules[-1].next = module
            module.previous = modules[-1]
        modules.append(module)
    return ResolvedCourse(
        title=course.title,
        subtitle=course.subtitle,
        description=_md(course.description),
        language=course.language,
        audience=_md_list(course.audience),
        authors=_md_list(course.authors),
        trainer_intentions=_md_list(course.trainer_intentions),
        references=list(references.values()),
        license=_md(course.license),
        modules=modules,
    )
