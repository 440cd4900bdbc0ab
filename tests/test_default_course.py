"""The default course under content/: it builds, and it covers everything it promises.

The site is built once for the whole module with ``python -m builder build``. The checks read the
built HTML (participant view at the site root, trainer view under ``trainer/``, references page)
and the YAML files themselves, so removing a topic, a video, a reference or an activity from the
course makes a test here fail.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.model import BLOCK_TYPES

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"

ACTIVITY_TYPES = ("think_and_share", "reflective_activity", "group_discussion", "video")
ALL_BLOCK_TYPES = tuple(BLOCK_TYPES)  # the contract's list is asserted in test_model

# A sentence from one activity's facilitator notes: trainer view only.
FACILITATOR_SENTENCE = "Chart the answers in two columns headed human connection and therapeutic work"

VIDEO_IDS = ("Nsn2B4IGKo8", "Gmazdu2L64E", "VctaUNJpT6U")

# Authors every reference page must name.
REFERENCE_NAMES = (
    "McCurdy",
    "Sharf",
    "Ackerman",
    "Torres",
    "Walsh",
    "Szapocznik",
    "Dyche",
    "Odell",
    "Foy",
    "Mental Health Systems",
)

# Every topic the course must cover, as strings that must all appear in the participant view.
TOPICS: dict[str, tuple[str, ...]] = {
    "IMH-HV components": (
        "Culturally responsive practice",
        "Building an alliance",
        "Meeting material needs",
        "Developmental guidance",
        "Emotional support",
        "Infant-parent psychotherapy",
        "Life course planning",
        "Reflective supervision",
        "Videotaping",
    ),
    "further reading": ("Part VI", "Chapter 19", "137", "143", "142"),
    "definition": ("bond", "collaboration", "secure base", "holding place", "co-create", "in the lead"),
    "two relationships": ("Two relationships at once", "Person to person", "The therapeutic relationship"),
    "retention and outcomes": ("McCurdy", "Sharf", "Primavera", "Diener", "retention"),
    "provider qualities": ("Ackerman", "Hilsenroth", "trustworthy", "experienced", "supportive", "affirming"),
    "IMH-HV study on early alliance": ("first three months", "three sessions", "33 visits", "drop-out"),
    "race and alliance ratings": ("Black clinicians", "White clinicians", "Clients of all races"),
    "how parents described the alliance": ("bad parent", "whole family", "paraphrased"),
    "talking about culture": ("Talking about culture", "concrete examples", "awkwardness", "Torres"),
    "alliance versus technique": ("5 to 7 times", "variance"),
    "three parts of the alliance": ("Relationship", "Agreement on goals", "Agreement on methods", "stuck"),
    "common factors and HELP": (
        "common factors",
        "HELP",
        "Hope",
        "Empathy",
        "Language and Loyalty",
        "Permission, Partnership and Plan",
        "Closing a short visit supportively",
    ),
    "tasks of building an alliance": ("Visiting regularly", "telephone", "Observing, listening, accepting and nurturing"),
    "adapting the alliance": ("Szapocznik", "structure", "motivation for treatment", "co-create"),
    "humility and curiosity": ("humility", "respectful curiosity", "Dyche", "Zayas", "Odell"),
    "culture videos and genogram": ("Parenting Around the World", "Family Traditions Around the World", "cultural genogram"),
    "boundaries": ("boundary", "food", "attachment relationship"),
    "treatment process": ("phases", "ports of entry", "bridge", "holds all the pieces"),
    "strategies for building trust": (
        "Be consistent",
        "material needs",
        "Accept what the parent offers",
        "Stay curious",
        "Communicate openly and honestly",
        "Acknowledge the power differential",
        "show up",
        "non-judgemental",
    ),
    "language we use": ("The language we use", "Two ways to return to a hard topic", "The clinician steers", "invited to choose"),
    "barriers": (
        "fears of abandonment",
        "history with",
        "power differential",
        "Cultural differences",
        "unexamined biases",
        "race comes up",
    ),
    "how barriers show up": ("missed appointments", "silence", "chaotic", "interruptions", "too fast"),
    "talking after a difficult session": ("Talking after a difficult session", "You set the pace"),
    "resistance as fear": ("resistance", "scared", "take the help I am offering"),
    "rapport": ("Building Rapport", "Rapport comes first"),
    "review": ("Review of building a therapeutic alliance", "Addressing barriers to building trust"),
}

# The Think & Share, Reflective Activity and Group Discussion blocks of the original deck.
DECK_ACTIVITIES: dict[str, str] = {
    "Think & Share: what have you done to build an alliance?": "think_and_share",
    "Think & Share: two potential barriers": "think_and_share",
    "Reflective Activity: your cultural genogram": "reflective_activity",
    "Reflective Activity: an alliance you struggled to build or lost": "reflective_activity",
    "Group Discussion: cultural expectations that have informed your work": "group_discussion",
    "Group Discussion: barriers you are facing now": "group_discussion",
}


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


COURSE: dict[str, Any] = _load(CONTENT / "course.yml")
MODULE_FILES = sorted((CONTENT / "modules").glob("*.yml"))
MODULES: dict[str, dict[str, Any]] = {re.sub(r"^\d+-", "", p.stem): _load(p) for p in MODULE_FILES}
BLOCKS: list[dict[str, Any]] = [block for module in MODULES.values() for block in module["blocks"]]


def _module_minutes(module: dict[str, Any]) -> int:
    if "duration" in module:
        return int(module["duration"])
    return sum(int(block.get("duration", 0)) for block in module["blocks"])


def _page_text(path: Path) -> str:
    """The visible text of a built page: no scripts, styles or tags, entities decoded, spaces collapsed."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.DOTALL | re.IGNORECASE)
    raw = re.sub(r"<[^>]+>", " ", raw)
    return re.sub(r"\s+", " ", html.unescape(raw))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return out


def _participant_page(site: Path, module_id: str) -> Path:
    return site / module_id / "index.html"


def _trainer_page(site: Path, module_id: str) -> Path:
    return site / "trainer" / module_id / "index.html"


@pytest.fixture(scope="module")
def participant_html(site: Path) -> str:
    return "\n".join(_participant_page(site, m).read_text(encoding="utf-8") for m in COURSE["modules"])


@pytest.fixture(scope="module")
def participant_text(site: Path) -> str:
    return "\n".join(_page_text(_participant_page(site, m)) for m in COURSE["modules"])


@pytest.fixture(scope="module")
def trainer_text(site: Path) -> str:
    return "\n".join(_page_text(_trainer_page(site, m)) for m in COURSE["modules"])


# --- the YAML itself ---------------------------------------------------------------------------


def test_modules_listed_in_order_match_the_files() -> None:
    assert COURSE["modules"] == list(MODULES), "course.yml `modules:` must list every module file, in file order"
    assert len(COURSE["trainer_intentions"]) == 4


def test_every_module_is_15_to_40_minutes() -> None:
    for module_id, module in MODULES.items():
        minutes = _module_minutes(module)
        assert 15 <= minutes <= 40, f"{module_id}: {minutes} minutes"


def test_total_is_a_half_day_to_a_day() -> None:
    total = sum(_module_minutes(module) for module in MODULES.values())
    assert 180 <= total <= 420, f"total {total} minutes"


def test_every_module_has_summary_intentions_and_key_points() -> None:
    for module_id, module in MODULES.items():
        assert module.get("summary"), module_id
        assert module.get("trainer_intentions"), module_id
        assert module.get("key_points"), module_id


def test_every_block_type_is_used() -> None:
    used = {block["type"] for block in BLOCKS}
    missing = set(ALL_BLOCK_TYPES) - used
    assert not missing, f"block types never used: {sorted(missing)}"


def test_every_activity_has_a_duration_and_facilitator_notes() -> None:
    for block in BLOCKS:
        if block["type"] in ACTIVITY_TYPES:
            label = block.get("title", block["type"])
            assert int(block.get("duration", 0)) > 0, f"{label}: no duration"
            assert str(block.get("facilitator_notes", "")).strip(), f"{label}: no facilitator notes"


def test_every_deck_activity_is_its_own_block() -> None:
    titles = {block.get("title"): block["type"] for block in BLOCKS}
    for title, kind in DECK_ACTIVITIES.items():
        assert titles.get(title) == kind, f"missing {kind} block {title!r}"


def test_help_is_a_cards_block_labelled_h_e_l_p() -> None:
    help_cards = [b for b in BLOCKS if b["type"] == "cards" and b.get("title") == "HELP"]
    assert len(help_cards) == 1
    assert [item.get("label") for item in help_cards[0]["items"]] == ["H", "E", "L", "P"]


def test_the_two_ways_of_returning_to_a_topic_are_a_compare_block() -> None:
    compares = [b for b in BLOCKS if b["type"] == "compare"]
    assert any(len(b["items"]) == 2 and "hard topic" in b.get("title", "") for b in compares)


def test_the_reading_points_to_part_vi_chapter_19() -> None:
    readings = [b for b in BLOCKS if b["type"] == "reading"]
    assert any("Part VI" in b["source"] and "Chapter 19" in b["source"] and b.get("pages") == "137–143" for b in readings)


def test_every_video_has_a_transcript_or_summary() -> None:
    videos = [b for b in BLOCKS if b["type"] == "video"]
    assert sorted(v["youtube"] for v in videos) == sorted(VIDEO_IDS)
    for video in videos:
        assert str(video.get("transcript", "")).strip(), video["title"]


def test_every_cited_key_is_in_the_reference_list() -> None:
    keys = {ref["key"] for ref in COURSE["references"]}
    cited = {key for block in BLOCKS for key in block.get("cite", [])}
    assert cited <= keys, f"unknown keys: {sorted(cited - keys)}"
    assert keys <= cited, f"references never cited: {sorted(keys - cited)}"


# --- the built site -----------------------------------------------------------------------------


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_topic_is_in_participant_view(topic: str, participant_text: str) -> None:
    missing = [s for s in TOPICS[topic] if s not in participant_text]
    assert not missing, f"{topic}: not found in the participant pages: {missing}"


@pytest.mark.parametrize("title", sorted(DECK_ACTIVITIES))
def test_deck_activity_is_in_participant_view(title: str, participant_text: str) -> None:
    assert title in participant_text


@pytest.mark.parametrize("video_id", VIDEO_IDS)
def test_video_is_embedded(video_id: str, participant_html: str) -> None:
    assert video_id in participant_html


def test_video_summaries_are_in_participant_view(participant_text: str) -> None:
    assert participant_text.count("Summary of the video.") == len(VIDEO_IDS)


def test_references_page_lists_every_reference(site: Path) -> None:
    page = site / "references" / "index.html"
    raw, text = page.read_text(encoding="utf-8"), _page_text(page)
    for name in REFERENCE_NAMES:
        assert name in text, name
    for ref in COURSE["references"]:
        first_author = re.split(r"[,.(]", ref["citation"])[0].strip()
        assert first_author in text, ref["key"]
        if "url" in ref:
            assert ref["url"] in html.unescape(raw), ref["key"]


def test_trainer_view_has_facilitator_notes(trainer_text: str) -> None:
    assert FACILITATOR_SENTENCE in trainer_text
    activities = sum(1 for block in BLOCKS if block["type"] in ACTIVITY_TYPES)
    assert trainer_text.count("How to run it") >= activities
    assert "Trainer preparation" in trainer_text


def test_participant_view_has_no_facilitator_notes(participant_text: str) -> None:
    assert FACILITATOR_SENTENCE not in participant_text
    assert "How to run it" not in participant_text
    assert "Trainer preparation" not in participant_text


def test_trainer_view_has_trainer_intentions(trainer_text: str) -> None:
    first = MODULES["welcome"]["trainer_intentions"][0]
    assert first in trainer_text


def test_no_raw_markdown_on_any_page_of_either_view(site: Path) -> None:
    """Markdown inside an HTML block is not converted: link syntax or `**` left in the visible text is a page bug."""
    pages = sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)
    assert len(pages) > 2 * len(COURSE["modules"])
    assert any("trainer" in p.parts for p in pages) and (site / "trainer" / "sessions" / "full-day" / "index.html") in pages
    for page in pages:
        visible = _page_text(page)
        for raw in ("](", "**"):
            at = visible.find(raw)
            assert at < 0, f"{page.relative_to(site)} shows raw Markdown {raw!r}: …{visible[max(0, at - 60) : at + 40]}…"
