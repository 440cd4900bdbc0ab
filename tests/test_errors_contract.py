"""Every error rule of the content contract: a bad-input fixture and the exact errors `course check` prints.

Each folder under fixtures/bad/ lays its files over fixtures/base/ (a valid course); its
expected.txt holds what `course check` must print, file, line, column and message.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import FIXTURES, REPO, check_golden, copy_course

CASES = sorted(p.name for p in (FIXTURES / "bad").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_located_errors(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], update_golden: bool
) -> None:
    copy_course("base", tmp_path, FIXTURES / "bad" / case)
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    check_golden(FIXTURES / "bad" / case / "expected.txt", out.err, update_golden)


def test_base_course_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    copy_course("base", tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("content: ok: 2 modules")


def test_file_over_one_mebibyte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_course("base", tmp_path)
    big = content / "modules" / "01-intro.yml"
    big.write_text("title: Introduction\nblocks:\n  - type: text\n    body: |\n" + ("      words words words\n" * 50000))
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/modules/01-intro.yml:1:1: error: the file is 1172 KiB; a content file may be at most 1024 KiB (1 MiB)"
    )


def test_deep_nesting_is_located_not_a_recursion_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_course("base", tmp_path)
    (content / "modules" / "01-intro.yml").write_text("title: Deep\nx-deep: " + "[" * 5000 + "]" * 5000 + "\nblocks: []\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("content/modules/01-intro.yml:2:")
    assert "nesting is deeper than 32 levels" in err
    assert "RecursionError" not in err


def test_errors_reach_the_terminal_without_traceback(tmp_path: Path) -> None:
    """The real command, in its own process: exit status 1, located errors on stderr, no traceback."""
    copy_course("base", tmp_path, FIXTURES / "bad" / "many-errors-in-many-files")
    result = subprocess.run(
        [sys.executable, "-m", "builder", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == (FIXTURES / "bad" / "many-errors-in-many-files" / "expected.txt").read_text()
