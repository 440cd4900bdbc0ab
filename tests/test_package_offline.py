"""`course package`: links to folders made links to files, the same zip twice, and content errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from builder.packages import file_link, file_links

from .conftest import FIXTURES, REPO, copy_course


def course(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True)


def test_folder_links_point_at_their_index_page() -> None:
    assert file_link("../boundaries/") == "../boundaries/index.html"
    assert file_link("./") == "./index.html"
    assert file_link("..") == "../index.html"
    assert file_link("../references/#ref-1") == "../references/index.html#ref-1"
    assert file_link("../search/?q=x") == "../search/index.html?q=x"
    for unchanged in ("#top", "https://example.org/", "mailto:a@b.c", "../media/x.pdf", "/abs/", ""):
        assert file_link(unchanged) == unchanged
    page = '<a class="x" href="../a/">A</a> <link rel="icon" href="../b/"> <img src="../c/"> <a href="https://h/">'
    assert file_links(page) == '<a class="x" href="../a/index.html">A</a> <link rel="icon" href="../b/index.html"> <img src="../c/"> <a href="https://h/">'


def test_the_same_course_gives_the_same_zip(tmp_path: Path) -> None:
    for out in ("a", "b"):
        result = course("package", "scorm", "--version", "2004", "--content", str(FIXTURES / "tiny"), "--dist", str(tmp_path / out))
        assert result.returncode == 0, result.stderr
    [first] = (tmp_path / "a").glob("*.zip")
    assert first.name.endswith("-scorm2004.zip")
    assert first.read_bytes() == (tmp_path / "b" / first.name).read_bytes()


def test_a_course_with_errors_is_reported_not_packaged(tmp_path: Path) -> None:
    content = copy_course("base", tmp_path, FIXTURES / "bad" / "block-unknown-type")
    expected = (FIXTURES / "bad" / "block-unknown-type" / "expected.txt").read_text(encoding="utf-8")
    for fmt in ("offline", "scorm"):
        result = course("package", fmt, "--content", str(content), "--dist", str(tmp_path / "dist"), cwd=tmp_path)
        assert result.returncode == 1
        assert result.stderr == expected
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()
