"""Resolve stage: turn a validated course into the normalised form the templates consume.

Here the course gets its order, numbers, anchors, default titles, citation numbers and
back-links, durations and running totals, previous/next links, video embed addresses, and the
list of blocks each view shows. Markdown fields become ``Markup`` (they were checked at
validation), so templates escape everything else.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from .fields import slugify
from .messages import _
from .model import ACTIVITY_TYPES, BlockBase, KnowledgeCheck, Video
from .validate import DEFAULT_TITLES, PAGE_ANCHORS, CourseSource

if TYPE_CHECKING:
    from .sessions import SessionSource

View = Literal["participant", "trainer"]
VIEWS: tuple[View, ...] = ("participant", "trainer")


def _md(value: str | None) -> Markup | None:
    return None if value is None else Markup(value)


_BLANK_LINES = re.compile(r"\n\s*\n")


def _inline(value: str) -> Markup:
    """Markdown shown inside a line (a question's legend, a choice's label): its paragraphs run together."""
    return Markup(_BLANK_LINES.sub("\n", value.strip()))


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

    @property
    def questions(self) -> list[CheckQuestion]:
        """A knowledge check's questions (none for other blocks)."""
        return self.fields["questions"] if self.type == "knowledge_check" else []

    def shown_in(self, view: View) -> bool:
        return self.audience in ("all", view)


@dataclass
class CheckChoice:
    number: int  # 1-based, the choice's place in its question (what the browser keeps)
    text: Markup
    correct: bool
    feedback: Markup | None


@dataclass
class CheckQuestion:
    number: int  # 1-based, the question's place in its block
    question: Markup
    choices: list[CheckChoice]
    explanation: Markup | None

    @property
    def multiple(self) -> bool:
        """More than one correct choice: choose all that apply."""
        return sum(c.correct for c in self.choices) > 1


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

    def check_keys(self, view: View) -> list[str]:
        """``<module>/<block>/<question>`` of every knowledge-check question of the module the view shows."""
        return [f"{self.id}/{b.anchor}/{q.number}" for b in self.blocks_for(view) for q in b.questions]


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
    handouts: list[str] = field(default_factory=list)
    sessions: list[SessionSource] = field(default_factory=list)  # trainers' plans, scheduled by builder.schedule
    pass_mark: int | None = None  # percent of knowledge-check questions answered correctly

    @property
    def duration(self) -> int:
        return sum(m.duration or 0 for m in self.modules)

    def check_keys(self, view: View) -> list[str]:
        """Every knowledge-check question the view shows, as ``<module>/<block>/<question>``: what progress counts."""
        return [key for module in self.modules for key in module.check_keys(view)]

    @functools.cached_property
    def slug(self) -> str:  # every journal place carries it
        return slugify(self.title) or "course"

    def media(self, view: View) -> set[str]:
        """The files under content/ that the pages of ``view`` use (images, videos, captions, files that Markdown
        links to), and the handouts: the files a build of this view publishes, as paths relative to content/.
        A file used only by what the view does not show (a trainer-only block) is not among them."""
        texts: list[Any] = [self.description, self.license, *self.audience, *self.authors]
        texts += [reference.citation for reference in self.references]
        if view == "trainer":
            texts += self.trainer_intentions
        paths = set(self.handouts)
        for module in self.modules:
            texts += [module.summary, *module.key_points]
            if view == "trainer":
                texts += [module.facilitator_notes, *module.trainer_intentions]
            for block in module.blocks_for(view):
                paths.update(block.fields[name] for name in ("src", "captions") if block.fields.get(name))
                texts += block.fields.values()
                if view == "trainer":
                    texts.append(block.facilitator_notes)
        paths.update(_linked(_strings(texts)))
        return {normal for path in paths if (normal := _content_path(path))}


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


# Where Markdown (and the HTML it may hold) names a file: a link or image target, a reference definition, an attribute.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)|\b(?:src|href|poster)\s*=\s*[\"']?([^\"'\s>]+)", re.M)


def _strings(values: Iterable[Any]) -> Iterator[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from _strings(value)
        elif isinstance(value, dict):
            yield from _strings(value.values())
        elif isinstance(value, (CheckQuestion, CheckChoice)):
            yield from _strings(vars(value).values())


def _linked(texts: Iterable[str]) -> Iterator[str]:
    for text in texts:
        if "](" in text or "]:" in text or "=" in text:
            for match in _LINK.finditer(text):
                yield match.group(match.lastindex or 1)


def _content_path(target: str) -> str | None:
    """A link target as a path relative to content/, or None for a web address, an anchor or a path outside."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    while path.startswith(("../", "./")):
        path = path.split("/", 1)[1]
    path = posixpath.normpath(path.lstrip("/"))
    return None if path.startswith("..") or path == "." else path


@functools.cache
def _own_fields(cls: type[BlockBase]) -> tuple[str, ...]:
    """The fields of a block type beyond those every block has (looked up once: pydantic is slow to list them)."""
    common = ("title", "id", "audience", "duration", "facilitator_notes", "cite", "type")
    return tuple(name for name in cls.model_fields if name not in common)


def block_anchors(blocks: Sequence[BlockBase]) -> list[str]:
    """Each block's anchor: its ``id``, else one made from its title (or default title), made unique in the module.

    Explicit ids are claimed first, so a default id never takes one an author chose, nor one of the page's own
    anchors (:data:`PAGE_ANCHORS`). A default title gives its anchor in English, whatever the course language:
    answers are stored under the anchor.
    """
    taken = {b.id for b in blocks if b.id is not None} | PAGE_ANCHORS
    anchors = []
    for index, block in enumerate(blocks):
        anchor = block.id
        if anchor is None:
            written = block.title or DEFAULT_TITLES.get(block.type)  # type: ignore[attr-defined]
            base = (slugify(written) if written else "") or f"block-{index + 1}"
            anchor, n = base, 1
            while anchor in taken:
                n += 1
                anchor = f"{base}-{n}"
        taken.add(anchor)
        anchors.append(anchor)
    return anchors


def _block(index: int, block: BlockBase, anchor: str, references: dict[str, Reference], transcripts: dict[str, str]) -> ResolvedBlock:
    written = block.title or DEFAULT_TITLES.get(block.type)  # type: ignore[attr-defined]
    title = block.title or (_(written) if written else None)
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
    if isinstance(block, KnowledgeCheck):
        data["questions"] = [
            CheckQuestion(
                q,
                _inline(question.question),
                [CheckChoice(c, _inline(choice.text), choice.correct, _md(choice.feedback)) for c, choice in enumerate(question.choices, start=1)],
                _md(question.explanation),
            )
            for q, question in enumerate(block.questions, start=1)
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
        anchors = block_anchors(model.blocks)
        blocks = [_block(i, written, anchors[i], references, source.transcripts) for i, written in enumerate(model.blocks)]
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
        handouts=list(course.handouts),
        sessions=list(source.sessions),
        pass_mark=course.pass_mark,
    )
