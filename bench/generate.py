"""Synthetic courses in the content format, of any size, for the benchmark and the tests.

A module holds about 1,500 words spread over the block types authors use most: prose with
lists and emphasis, callouts, a video with a transcript (a details block), the three kinds of
activity, a quote, cards and a reading, with facilitator notes and citations. The text is
drawn from a fixed vocabulary with a seeded generator, so a size always gives the same course.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

_VOCABULARY = (
    "alliance family trust visit parent baby home worker listen notice respond steady safe together",
    "goal plan method agreement relationship culture question answer feeling story moment week",
    "change support practice reflect share group pair partner child toddler care curious humble",
    "open warm clear honest gentle careful patient early late first second often rarely always",
    "never every some many few small large simple hard easy new old talk write read watch wait",
    "return begin finish hold carry bring keep offer ask tell morning evening session meeting",
    "room table door window kitchen chair floor book note",
)
WORDS = [word for line in _VOCABULARY for word in line.split()]

REFERENCES = 8


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    if rng.random() < 0.3:
        i = rng.randrange(1, words)  # never the first word: a leading `*` opens a YAML alias
        chosen[i] = f"**{chosen[i]}**"
    elif rng.random() < 0.2:
        i = rng.randrange(1, words)
        chosen[i] = f"*{chosen[i]}*"
    chosen[0] = chosen[0].capitalize()
    return " ".join(chosen) + "."


def _paragraph(rng: random.Random, words: int) -> str:
    out: list[str] = []
    count = 0
    while count < words:
        n = rng.randint(8, 16)
        out.append(_sentence(rng, n))
        count += n
    return " ".join(out)


def _prose(rng: random.Random, words: int) -> str:
    """Paragraphs, and a short list, as a YAML block scalar body (indented by the caller)."""
    parts = [
        _paragraph(rng, words // 3),
        "\n".join(f"- {_sentence(rng, 7)}" for _ in range(3)),
        _paragraph(rng, words // 3),
        _paragraph(rng, words // 4),
    ]
    return "\n\n".join(parts)


def _block_text(value: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in value.split("\n"))


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()


def module_yaml(number: int, title: str | None = None, words: int = 1500) -> str:
    """The YAML of module ``number``: about ``words`` words (the prose scales, the structure stays)."""
    rng = random.Random(number)

    def w(count: int) -> int:
        return max(8, round(count * words / 1500))

    title = title or f"Module {number}: {_title(rng)}"
    cite = [f"ref{rng.randrange(REFERENCES) + 1}", f"ref{rng.randrange(REFERENCES) + 1}"]
    video_id = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(11))
    lines = [
        f'title: "{title}"',
        f"summary: {_sentence(rng, 14)}",
        "trainer_intentions:",
        f"  - {_sentence(rng, 12)}",
        f"  - {_sentence(rng, 12)}",
        "key_points:",
        *(f"  - {_sentence(rng, 12)}" for _ in range(3)),
        f"facilitator_notes: {_block_text(_paragraph(rng, w(50)), 2)}",
        "blocks:",
        "  - type: text",
        f"    title: {_title(rng)}",
        f"    body: {_block_text(_prose(rng, w(240)), 6)}",
        f"    cite: [{cite[0]}]",
        "  - type: callout",
        "    kind: tip",
        f"    title: {_title(rng)}",
        f"    body: {_block_text(_paragraph(rng, w(70)), 6)}",
        "  - type: video",
        f"    title: {_title(rng)}",
        f"    youtube: {video_id}",
        '    start: "1:05"',
        "    duration: 6",
        f"    caption: {_sentence(rng, 10)}",
        f"    transcript: {_block_text(_paragraph(rng, w(90)) + chr(10) + chr(10) + _paragraph(rng, w(90)), 6)}",
        "  - type: think_and_share",
        "    duration: 10",
        "    grouping: pairs",
        f"    prompt: {_block_text(_paragraph(rng, w(45)), 6)}",
        f"    facilitator_notes: {_block_text(_paragraph(rng, w(40)), 6)}",
        "  - type: text",
        f"    title: {_title(rng)}",
        f"    body: {_block_text(_prose(rng, w(210)), 6)}",
        f"    cite: [{cite[1]}]",
        "  - type: reflective_activity",
        "    duration: 5",
        f"    intro: {_sentence(rng, 12)}",
        "    prompts:",
        *(f"      - {_sentence(rng, 14)}" for _ in range(3)),
        "  - type: callout",
        "    kind: warning",
        f"    body: {_block_text(_paragraph(rng, w(60)), 6)}",
        "  - type: group_discussion",
        "    duration: 15",
        f"    intro: {_sentence(rng, 12)}",
        "    questions:",
        *(f"      - {_sentence(rng, 14)}" for _ in range(3)),
        "  - type: quote",
        f"    text: {_sentence(rng, 25)}",
        f"    attribution: {_title(rng)}",
        "  - type: cards",
        f"    title: {_title(rng)}",
        "    items:",
        *(
            line
            for letter in "ABC"
            for line in (f"      - title: {_title(rng)}", f"        label: {letter}", f"        body: {_sentence(rng, 20)}")
        ),
        "  - type: text",
        f"    title: {_title(rng)}",
        f"    body: {_block_text(_prose(rng, w(180)), 6)}",
        "  - type: callout",
        "    audience: trainer",
        "    kind: info",
        f"    body: {_block_text(_paragraph(rng, w(40)), 6)}",
        "  - type: reading",
        f"    source: {_sentence(rng, 8)}",
        "    pages: pp. 10-20",
        "    url: https://example.org/reading",
    ]
    return "\n".join(lines) + "\n"


def module_file(number: int) -> str:
    return f"{number:03d}-module-{number}.yml"


def course_yaml(modules: int, listed: bool = True) -> str:
    lines = [
        'title: "Synthetic course"',
        f'subtitle: "{modules} generated modules"',
        "description: |",
        "  A course generated for the benchmark.",
        "language: en",
        "audience:",
        "  - Home visitors",
        "authors:",
        "  - The benchmark",
        "references:",
    ]
    for i in range(1, REFERENCES + 1):
        lines += [
            f"  - key: ref{i}",
            f'    citation: "Author {i} (2020). *Work {i}*. Journal."',
            f"    url: https://example.org/ref{i}",
        ]
    if listed:
        lines.append("modules:")
        lines += [f"  - module-{n}" for n in range(1, modules + 1)]
    lines.append('license: "CC BY 4.0"')
    return "\n".join(lines) + "\n"


def generate(root: Path, modules: int, words: int = 1500) -> Path:
    """Write a course of ``modules`` modules of about ``words`` words each to ``root`` (replacing it)."""
    if root.exists():
        shutil.rmtree(root)
    (root / "modules").mkdir(parents=True)
    (root / "course.yml").write_text(course_yaml(modules), encoding="utf-8")
    for n in range(1, modules + 1):
        (root / "modules" / module_file(n)).write_text(module_yaml(n, words=words), encoding="utf-8")
    return root


def word_count(text: str) -> int:
    return len(text.split())


BIG_MODULE_BYTES = 1000 * 1024  # just under the 1 MiB a content file may hold


def big_module_yaml(hostile: bool = False) -> str:
    """A module of about :data:`BIG_MODULE_BYTES`: ordinary prose, or (``hostile``) text blocks whose bodies are tags
    that never close (``<a <a <a …``), the input on which a search for event handlers from every ``<`` goes quadratic."""
    text = module_yaml(1, words=210000)
    if hostile:
        body = "<a " * (48 * 1024 // 3)
        blocks = "".join(f"  - type: text\n    body: '{body}'\n" for _ in range(BIG_MODULE_BYTES // len(body)))
        text = text[: text.index("blocks:\n") + len("blocks:\n")] + blocks
    return text


def generate_big(root: Path, hostile: bool = False) -> Path:
    """A course of one module of about 1 MiB (see :func:`big_module_yaml`)."""
    if root.exists():
        shutil.rmtree(root)
    (root / "modules").mkdir(parents=True)
    (root / "course.yml").write_text(course_yaml(1), encoding="utf-8")
    (root / "modules" / module_file(1)).write_text(big_module_yaml(hostile), encoding="utf-8")
    return root
