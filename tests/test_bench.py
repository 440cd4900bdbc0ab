"""The benchmark: its synthetic courses are valid courses, and it runs end to end at a tiny size."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from bench.generate import generate, module_yaml

from .conftest import REPO

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def test_generated_course_passes_check(tmp_path: Path) -> None:
    content = generate(tmp_path / "content", 4)
    result = subprocess.run(
        [sys.executable, "-m", "builder", "check", "--content", str(content)], cwd=REPO, capture_output=True, text=True, env=ENV
    )
    assert result.returncode == 0, result.stderr
    assert "4 modules" in result.stdout


def test_a_generated_module_has_about_1500_words_of_every_kind_of_content() -> None:
    module = yaml.safe_load(module_yaml(7))

    def words(value: object) -> int:
        if isinstance(value, str):
            return len(value.split())
        if isinstance(value, list):
            return sum(map(words, value))
        if isinstance(value, dict):
            return sum(words(v) for k, v in value.items() if k not in ("type", "youtube", "url", "kind", "audience", "grouping"))
        return 0

    assert 1300 <= words(module) <= 1700
    types = {block["type"] for block in module["blocks"]}
    assert {"text", "callout", "video", "think_and_share", "reflective_activity", "group_discussion"} <= types
    assert any("transcript" in block for block in module["blocks"])
    assert module_yaml(7) == module_yaml(7)  # the same size always gives the same course


def test_bench_runs_and_prints_a_table(tmp_path: Path) -> None:
    out = tmp_path / "latest.md"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "3", "--repeat", "1", "--quick", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = out.read_text()
    assert table in result.stdout
    for heading in ("## Cold build", "## The builder's own stages", "## Live preview"):
        assert heading in table
    rows = [line for line in table.splitlines() if line.startswith("| 3 |")]
    assert len(rows) == 3 and all("nan" not in row for row in rows)
