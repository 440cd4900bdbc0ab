"""Resolve stage: order, anchors, default titles, citations, durations, per-view blocks, embeds."""

from __future__ import annotations

from pathlib import Path

from builder.resolve import ResolvedCourse, resolve
from builder.validate import load_course

from .conftest import FIXTURES


def tiny() -> ResolvedCourse:
    return resolve(load_course(FIXTURES / "tiny"))


def test_order_numbers_and_neighbours() -> None:
    course = tiny()
    assert [m.id for m in course.modules] == ["first-steps", "second"]
    first, second = course.modules
    assert (first.number, second.number) == (1, 2)
    assert first.next is second and second.previous is first and first.previous is None


def test_default_titles_and_anchors() -> None:
    first = tiny().modules[0]
    assert [(b.title, b.anchor) for b in first.blocks[:5]] == [
        ("Welcome", "welcome"),
        ("Think & Share", "think-share"),
        ("Reflective Activity", "reflective-activity"),
        ("Group Discussion", "group-discussion"),
        ("Rapport video", "rapport-video"),
    ]


def test_default_anchors_never_collide(tmp_path: Path) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "course.yml").write_text("title: C\n")
    (tmp_path / "modules" / "01-a.yml").write_text(
        "title: A\nblocks:\n"
        "  - {type: think_and_share, prompt: one}\n"
        "  - {type: think_and_share, prompt: two}\n"
        "  - {type: text, body: t, id: think-share-3}\n"
        "  - {type: think_and_share, prompt: three}\n"
        "  - {type: text, body: untitled}\n"
    )
    anchors = [b.anchor for b in resolve(load_course(tmp_path)).modules[0].blocks]
    assert anchors == ["think-share", "think-share-2", "think-share-3", "think-share-4", "block-5"]


def test_durations_add_up_with_offsets() -> None:
    course = tiny()
    first, second = course.modules
    assert first.duration == 34 and second.duration is None and course.duration == 34
    assert [(b.anchor, b.offset) for b in first.timed_blocks()] == [
        ("think-share", 0),
        ("reflective-activity", 10),
        ("group-discussion", 15),
        ("rapport-video", 30),
    ]
    assert second.offset == 34


def test_citations_are_numbered_and_linked_back() -> None:
    course = tiny()
    smith, doe = course.references
    assert (smith.number, smith.anchor, doe.number) == (1, "ref-smith2020", 2)
    assert [(m.id, b.anchor) for m, b in smith.cited_in] == [("first-steps", "welcome")]


def test_views_show_their_blocks() -> None:
    first, second = tiny().modules
    assert "block-7" in [b.anchor for b in first.blocks_for("trainer")]
    assert "block-7" not in [b.anchor for b in first.blocks_for("participant")]
    assert second.blocks[-1].audience == "participant"
    assert second.blocks[-1] in second.blocks_for("participant") and second.blocks[-1] not in second.blocks_for("trainer")


def test_video_embeds_are_privacy_enhanced() -> None:
    youtube = tiny().modules[0].blocks[4].video
    assert youtube is not None
    assert youtube.embed_url == "https://www.youtube-nocookie.com/embed/VctaUNJpT6U?autoplay=1&rel=0&start=65"
    assert youtube.watch_url == "https://www.youtube.com/watch?v=VctaUNJpT6U&t=65s"
    from builder.model import Video
    from builder.resolve import video_embed

    vimeo = video_embed(Video.model_validate({"type": "video", "title": "V", "vimeo": "76979871", "start": 30}))
    assert vimeo.embed_url == "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1#t=30s"


def test_transcript_file_is_read_in() -> None:
    video = tiny().modules[0].blocks[4]
    assert str(video.fields["transcript"]).startswith("**Summary of the video.**")
