"""Model stage: what the contract accepts, normalised (ids, times, text from YAML numbers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from builder.loader import load_text
from builder.model import Course, Module, Video


def module(yaml_text: str) -> Module:
    return Module.model_validate(load_text(yaml_text, Path("m.yml"), "m.yml").data)


def video(**fields: object) -> Video:
    return Video.model_validate({"type": "video", "title": "V", **fields})


@pytest.mark.parametrize(
    "given",
    [
        "VctaUNJpT6U",
        "https://www.youtube.com/watch?v=VctaUNJpT6U",
        "https://www.youtube.com/watch?feature=share&v=VctaUNJpT6U",
        "https://youtu.be/VctaUNJpT6U",
        "https://youtu.be/VctaUNJpT6U?t=10",
        "https://m.youtube.com/watch?v=VctaUNJpT6U",
        "https://www.youtube.com/embed/VctaUNJpT6U",
        "https://www.youtube.com/shorts/VctaUNJpT6U",
        "https://www.youtube-nocookie.com/embed/VctaUNJpT6U",
    ],
)
def test_youtube_ids_and_urls(given: str) -> None:
    assert video(youtube=given).youtube == "VctaUNJpT6U"


@pytest.mark.parametrize(
    "given", ["VctaUNJpT6", "https://evil.example/watch?v=VctaUNJpT6U", 'VctaUNJpT6U"><script>', "javascript:alert(1)"]
)
def test_youtube_refuses_anything_else(given: str) -> None:
    with pytest.raises(ValidationError):
        video(youtube=given)


@pytest.mark.parametrize("given", ["76979871", 76979871, "https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"])
def test_vimeo_ids_and_urls(given: object) -> None:
    assert video(vimeo=given).vimeo == "76979871"


@pytest.mark.parametrize(("given", "seconds"), [(90, 90), ("1:30", 90), ("0:05", 5), ("1:02:03", 3723), (0, 0)])
def test_video_times(given: object, seconds: int) -> None:
    assert video(youtube="VctaUNJpT6U", start=given).start == seconds


def test_yaml_words_and_numbers_are_text_where_text_is_meant() -> None:
    m = module(
        'title: yes\nsummary: no\nkey_points: [on, 1.10, 007]\nblocks:\n  - type: reading\n    source: "A book"\n    pages: 3:30\n'
    )
    assert m.title == "yes" and m.summary == "no"
    assert m.key_points == ["on", "1.10", "007"]
    assert m.blocks[0].pages == "3:30"  # type: ignore[union-attr]


def test_author_fields_starting_with_x_are_kept_aside() -> None:
    m = module("title: T\nx-owner: Sam\nblocks:\n  - type: text\n    body: b\n    x-status: draft\n")
    assert m._extensions == {"x-owner": "Sam"}
    assert m.blocks[0]._extensions == {"x-status": "draft"}


def test_course_defaults() -> None:
    course = Course.model_validate({"title": "C"})
    assert course.language == "en" and course.modules is None and course.references == []


def test_every_block_type_of_the_contract_is_known() -> None:
    from builder.model import BLOCK_TYPES

    assert set(BLOCK_TYPES) == {
        "text",
        "think_and_share",
        "reflective_activity",
        "group_discussion",
        "video",
        "quote",
        "callout",
        "cards",
        "compare",
        "image",
        "reading",
        "knowledge_check",
    }


@pytest.mark.parametrize(
    "body",
    [
        "[x](javascript:alert(1))",
        "[x](JavaScript :alert(1))",
        "[x](java&#115;cript&#58;alert(1))",
        "[x](javascript&colon;alert(1))",
        "<a href=x onclick='go()'>x</a>",
        "<SCRIPT>x</SCRIPT>",
        "<iframe src=x>",
    ],
)
def test_unsafe_markdown_is_refused_however_it_is_spelt(body: str) -> None:
    with pytest.raises(ValidationError):
        Module.model_validate({"title": "T", "blocks": [{"type": "text", "body": body}]})


def test_safe_markdown_passes_and_script_tags_are_refused_even_in_code() -> None:
    fine = "A *list*:\n\n- one & two\n- <kbd>Ctrl</kbd>, [a link](https://example.org), time 10:30"
    assert Module.model_validate({"title": "T", "blocks": [{"type": "text", "body": fine}]}).blocks[0].body == fine  # type: ignore[union-attr]
    with pytest.raises(ValidationError):  # the check reads the text, not the Markdown: be strict
        Module.model_validate({"title": "T", "blocks": [{"type": "text", "body": "Never write `<script>`."}]})


def test_knowledge_check_and_commentary_are_accepted() -> None:
    from builder.model import KnowledgeCheck, ReflectiveActivity

    written = module(
        "title: M\nblocks:\n"
        "  - type: knowledge_check\n"
        "    questions:\n"
        "      - question: Pick the open questions\n"
        "        choices:\n"
        "          - {text: What happened?, correct: true, feedback: Open.}\n"
        "          - {text: Did it go well?}\n"
        "          - {text: How did it feel?, correct: yes}\n"
        "        explanation: Open questions invite a story.\n"
        "  - type: reflective_activity\n"
        "    prompts: [What did you notice?]\n"
        "    commentary: Most people notice the silence first.\n"
    )
    check, activity = written.blocks
    assert isinstance(check, KnowledgeCheck) and isinstance(activity, ReflectiveActivity)
    question = check.questions[0]
    assert [c.correct for c in question.choices] == [True, False, True]
    assert question.choices[1].feedback is None and question.explanation == "Open questions invite a story."
    assert activity.commentary == "Most people notice the silence first."


@pytest.mark.parametrize("given, kept", [(1, 1), (80, 80), (100, 100), (75.0, 75)])
def test_pass_mark_is_a_whole_percentage(given: object, kept: int) -> None:
    assert Course.model_validate({"title": "C", "pass_mark": given}).pass_mark == kept
    assert Course.model_validate({"title": "C"}).pass_mark is None
