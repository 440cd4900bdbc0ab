"""Input models: what authors write in ``course.yml`` and module files, as pydantic models.

These mirror the content contract field for field. Unknown fields are refused so typos fail,
except ``x-`` fields, which are kept aside for the author's own use. Field descriptions feed the
JSON Schema and the author's reference page.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .fields import (
    Anchor,
    ContentPath,
    LanguageTag,
    LinkUrl,
    Markdown,
    Minutes,
    PassMark,
    PlainText,
    VideoTime,
    VimeoId,
    YouTubeId,
)


def _allow_extensions(schema: dict[str, Any]) -> None:
    schema["patternProperties"] = {"^x-": {"description": "the author's own field, kept and ignored"}}


class Strict(BaseModel):
    """Base of every model: unknown fields fail, ``x-`` fields are set aside."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_allow_extensions)
    _extensions: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _set_aside_extensions(cls, data: Any, handler: Any) -> Any:
        extensions: dict[str, Any] = {}
        if isinstance(data, dict):
            extensions = {k: v for k, v in data.items() if isinstance(k, str) and k.startswith("x-")}
            if extensions:
                data = {k: v for k, v in data.items() if k not in extensions}
        model = handler(data)
        if extensions and isinstance(model, Strict):
            model._extensions = extensions
        return model


Audience = Literal["all", "trainer", "participant"]
Grouping = Literal["individual", "pairs", "small_groups", "whole_group"]
CalloutKind = Literal["note", "tip", "info", "warning", "example", "question"]


class BlockBase(Strict):
    """Fields every block may have."""

    title: PlainText | None = Field(None, description="a heading for the block (plain text)")
    id: Anchor | None = Field(None, description="the block's anchor; default from its title; unique within the module")
    audience: Audience = Field("all", description="`all`, `trainer` (trainer view only) or `participant`")
    duration: Minutes | None = Field(None, description="minutes (whole number > 0)")
    facilitator_notes: Markdown | None = Field(None, description="Markdown shown only in the trainer view")
    cite: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, description="reference keys from course.yml"
    )


class Text(BlockBase):
    """Prose."""

    type: Literal["text"]
    body: Markdown = Field(description="Markdown")


COMMENTARY = "Markdown: what an experienced practitioner might say; participants see it once they have written their own answer"


class ThinkAndShare(BlockBase):
    """A prompt to think about, then share (default title "Think & Share")."""

    type: Literal["think_and_share"]
    prompt: Markdown = Field(description="Markdown: what to think about")
    grouping: Grouping | None = Field(None, description="`individual`, `pairs`, `small_groups` or `whole_group`")
    commentary: Markdown | None = Field(None, description=COMMENTARY)


class ReflectiveActivity(BlockBase):
    """Questions for personal reflection (default title "Reflective Activity")."""

    type: Literal["reflective_activity"]
    intro: Markdown | None = Field(None, description="Markdown before the prompts")
    prompts: list[Markdown] = Field(min_length=1, description="the questions, Markdown each")
    commentary: Markdown | None = Field(None, description=COMMENTARY)


class GroupDiscussion(BlockBase):
    """Questions for the group (default title "Group Discussion")."""

    type: Literal["group_discussion"]
    intro: Markdown | None = Field(None, description="Markdown before the questions")
    questions: list[Markdown] = Field(min_length=1, description="the questions, Markdown each")
    commentary: Markdown | None = Field(None, description=COMMENTARY)


class Video(BlockBase):
    """An embedded video: YouTube, Vimeo, or a file under media/."""

    type: Literal["video"]
    title: PlainText = Field(description="the video's title (plain text)")
    youtube: YouTubeId | None = Field(None, description="an 11-character YouTube id or a watch/share URL")
    vimeo: VimeoId | None = Field(None, description="a numeric Vimeo id or a Vimeo URL")
    src: ContentPath | None = Field(None, description="a video file, relative to content/")
    start: VideoTime | None = Field(None, description="where to start: seconds or m:ss")
    end: VideoTime | None = Field(None, description="where to stop: seconds or m:ss")
    caption: Markdown | None = Field(None, description="Markdown under the video")
    transcript: Markdown | None = Field(None, description="Markdown, or a path to a Markdown file under content/")
    captions: ContentPath | None = Field(None, description="a .vtt captions file, for `src` videos")

    @model_validator(mode="after")
    def _one_source(self) -> Video:
        given = [name for name in ("youtube", "vimeo", "src") if getattr(self, name) is not None]
        if len(given) != 1:
            found = " and ".join(f"`{g}`" for g in given) if given else "none"
            raise PydanticCustomError(
                "video_source", "a video needs exactly one of `youtube`, `vimeo` or `src`, found {found}", {"found": found}
            )
        if self.captions is not None and self.src is None:
            raise PydanticCustomError(
                "video_captions", "`captions` goes with a `src` video; YouTube and Vimeo carry their own captions", {}
            )
        if self.captions is not None and not self.captions.lower().endswith(".vtt"):
            raise PydanticCustomError("video_captions", "`captions` must be a WebVTT file ending in .vtt", {})
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise PydanticCustomError("video_time", "`end` must come after `start`", {})
        return self


class Quote(BlockBase):
    """A quotation."""

    type: Literal["quote"]
    text: Markdown = Field(description="the quotation, Markdown")
    attribution: Markdown | None = Field(None, description="who said or wrote it")


class Callout(BlockBase):
    """A highlighted box."""

    type: Literal["callout"]
    body: Markdown = Field(description="Markdown")
    kind: CalloutKind = Field("note", description="note, tip, info, warning, example or question")


class Card(Strict):
    title: PlainText = Field(description="the card's title (plain text)")
    body: Markdown | None = Field(None, description="Markdown")
    label: PlainText | None = Field(None, description="a short label, e.g. the letter of a mnemonic")


class Cards(BlockBase):
    """Side-by-side cards, e.g. the letters of a mnemonic."""

    type: Literal["cards"]
    intro: Markdown | None = Field(None, description="Markdown before the cards")
    items: list[Card] = Field(min_length=1, description="the cards")


class CompareItem(Strict):
    label: PlainText = Field(description="what this alternative is (plain text)")
    body: Markdown = Field(description="Markdown")


class Compare(BlockBase):
    """Alternatives side by side, e.g. two ways to say a thing."""

    type: Literal["compare"]
    intro: Markdown | None = Field(None, description="Markdown before the alternatives")
    items: list[CompareItem] = Field(min_length=2, description="at least two alternatives")


class Image(BlockBase):
    """An image under media/."""

    type: Literal["image"]
    src: ContentPath = Field(description="the image, relative to content/")
    alt: PlainText = Field(description="what the image shows, for people who cannot see it (not empty)")
    caption: Markdown | None = Field(None, description="Markdown under the image")


class Reading(BlockBase):
    """A pointer to further reading."""

    type: Literal["reading"]
    source: Markdown = Field(description="what to read, Markdown")
    pages: PlainText | None = Field(None, description="pages or chapter, e.g. pp. 137-143")
    url: LinkUrl | None = Field(None, description="a web address (https, http or mailto) or a path inside the course")
    note: Markdown | None = Field(None, description="Markdown")


class Choice(Strict):
    text: Markdown = Field(description="the choice, Markdown")
    correct: bool = Field(False, description="whether this choice is right (default false)")
    feedback: Markdown | None = Field(None, description="Markdown shown when the participant has chosen it")


class Question(Strict):
    question: Markdown = Field(description="the question, Markdown")
    choices: list[Choice] = Field(min_length=2, description="at least two choices, at least one of them correct")
    explanation: Markdown | None = Field(None, description="Markdown shown once the participant has checked an answer")

    @field_validator("choices")
    @classmethod
    def _answerable(cls, choices: list[Choice]) -> list[Choice]:
        if not any(choice.correct for choice in choices):
            raise PydanticCustomError(
                "choice_correct", "no choice is marked `correct: true`; mark the right answer (or every right answer)", {}
            )
        seen: dict[str, int] = {}
        for i, choice in enumerate(choices):
            same = " ".join(choice.text.split()).casefold()
            if same in seen:
                raise PydanticCustomError(
                    "choice_duplicate",
                    "the same text as choices[{first}]; each choice of a question needs its own text",
                    {"first": seen[same], "at": (i, "text")},
                )
            seen[same] = i
        return choices


class KnowledgeCheck(BlockBase):
    """A self-check: the participant chooses, checks and sees feedback (default title "Check your understanding").
    More than one correct choice makes a question choose-all-that-apply."""

    type: Literal["knowledge_check"]
    intro: Markdown | None = Field(None, description="Markdown before the questions")
    questions: list[Question] = Field(min_length=1, description="the questions")


Block = Annotated[
    Text | ThinkAndShare | ReflectiveActivity | GroupDiscussion | Video | Quote | Callout | Cards | Compare | Image | Reading | KnowledgeCheck,
    Field(discriminator="type"),
]
BLOCK_TYPES: dict[str, type[BlockBase]] = {
    cls.model_fields["type"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in (Text, ThinkAndShare, ReflectiveActivity, GroupDiscussion, Video, Quote, Callout, Cards, Compare, Image, Reading, KnowledgeCheck)
}
ACTIVITY_TYPES = ("think_and_share", "reflective_activity", "group_discussion")


class Module(Strict):
    """One module file."""

    title: PlainText = Field(description="the module's title (plain text)")
    summary: Markdown | None = Field(None, description="one or two sentences for the home page and module list")
    duration: Minutes | None = Field(None, description="minutes; without it, the sum of the blocks' durations")
    trainer_intentions: list[Markdown] = Field(default_factory=list, description="what the trainer intends this module to achieve")
    key_points: list[Markdown] = Field(default_factory=list, description="the summary shown at the end of the module")
    facilitator_notes: Markdown | None = Field(None, description="Markdown, trainer view only")
    blocks: list[Block] = Field(min_length=1, description="the module's content, in order")


class Reference(Strict):
    key: PlainText = Field(description="the key blocks cite; unique")
    citation: Markdown = Field(description="the full citation, Markdown")
    url: LinkUrl | None = Field(None, description="a web address for the work (https, http or mailto) or a path inside the course")


class Course(Strict):
    """course.yml."""

    title: PlainText = Field(description="the course title (plain text)")
    subtitle: PlainText | None = Field(None, description="one line under the title")
    description: Markdown | None = Field(None, description="Markdown for the home page")
    language: LanguageTag = Field("en", description="BCP 47 tag; sets the page language")
    audience: list[Markdown] = Field(default_factory=list, description="who the course is for")
    authors: list[Markdown] = Field(default_factory=list, description="names or organisations")
    trainer_intentions: list[Markdown] = Field(default_factory=list, description="what the trainer intends for the whole course")
    modules: list[Annotated[str, Field(min_length=1)]] | None = Field(
        None, description="module ids in order; when given, the list is authoritative"
    )
    references: list[Reference] = Field(default_factory=list, description="the works blocks cite")
    handouts: list[ContentPath] = Field(
        default_factory=list,
        description="files under content/ published in the participant view even if no page links to them (e.g. media/handout.pdf)",
    )
    license: Markdown | None = Field(None, description="text shown in the footer")
    pass_mark: PassMark | None = Field(
        None, description="a whole percentage, 1-100: the share of knowledge-check questions to answer correctly to pass"
    )
