"""`course package`: the trainer's offline copy, links that open files, the same zip twice, and content errors."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

from builder.packages import file_link, file_links

from .conftest import FIXTURES, REPO, copy_course

HREF = re.compile(r'<a\b[^>]*?\shref="([^"]*)"')


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


def test_the_trainers_copy_holds_both_views_and_every_link_opens_a_file(tmp_path: Path) -> None:
    result = course("package", "offline", "--view", "trainer", "--content", str(FIXTURES / "tiny"), "--dist", str(tmp_path))
    assert result.returncode == 0, result.stderr
    [package] = tmp_path.glob("*.zip")
    assert package.name.endswith("-trainer-offline.zip")
    root = tmp_path / "unzipped"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(root)
    assert (root / "index.html").is_file() and (root / "trainer" / "index.html").is_file()
    assert (root / "trainer" / "search" / "search_index.js").is_file() and (root / "trainer" / "search" / "search_worker.js").is_file()
    assert "course-view-switch" in (root / "trainer" / "index.html").read_text(encoding="utf-8")
    for page in root.rglob("*.html"):
        for href in HREF.findall(page.read_text(encoding="utf-8")):
            if href.startswith("#") or re.match(r"^[a-z]+:", href):
                continue
            target = (page.parent / unquote(href.split("#")[0].split("?")[0])).resolve()
            assert target.is_file(), f"{page.relative_to(root)} links to {href}"


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
