"""What each view publishes, and what no build reads: media per view, handouts, unsafe files in content/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import REPO, copy_course

ENV = {**os.environ, "PYTHONPATH": str(REPO)}
CONFIG = str(REPO / "mkdocs.yml")

MEDIA_MODULE = """\
title: Introduction
blocks:
  - type: text
    body: Hello. See [the paper](media/linked.pdf) and ![a chart](media/chart%20one.png).
    cite: [smith2020]
  - type: image
    src: media/public.png
    alt: Public
  - type: image
    audience: trainer
    src: media/secret.png
    alt: Secret
  - type: video
    audience: trainer
    title: Secret video
    src: media/secret.mp4
    captions: media/secret.vtt
    transcript: media/secret-transcript.md
  - type: text
    body: Shown to all.
    facilitator_notes: The [answer key](media/answers.pdf) is for you.
"""


def media_course(tmp_path: Path) -> Path:
    content = copy_course("base", tmp_path)
    media = content / "media"
    for name in ("public.png", "secret.png", "secret.mp4", "linked.pdf", "chart one.png", "answers.pdf", "handout.pdf", "unused.png", ".DS_Store"):
        (media / name).write_bytes(b"x")
    (media / "secret.vtt").write_text("WEBVTT\n")
    (media / "secret-transcript.md").write_text("SECRET-TRANSCRIPT words\n")
    (content / "modules" / "01-intro.yml").write_text(MEDIA_MODULE)
    with (content / "course.yml").open("a") as f:
        f.write("handouts: [media/handout.pdf]\n")
    return content


def course(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True, env=ENV)


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_each_view_publishes_only_the_media_it_uses(tmp_path: Path) -> None:
    media_course(tmp_path)
    result = course("build", "--content", "content", "-f", CONFIG, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    participant = {p for p in files_under(site / "media")}
    trainer = {p for p in files_under(site / "trainer" / "media")}
    # dot.svg is the base course's own image (module 2); the handout is listed in course.yml
    assert participant == {"public.png", "linked.pdf", "chart one.png", "handout.pdf", "dot.svg"}
    assert trainer == participant | {"secret.png", "secret.mp4", "secret.vtt", "answers.pdf"}
    participant_files = [p for p in site.rglob("*") if p.is_file() and "trainer" not in p.relative_to(site).parts]
    assert not any(b"SECRET-TRANSCRIPT" in p.read_bytes() for p in participant_files)
    assert b"SECRET-TRANSCRIPT" in (site / "trainer" / "intro" / "index.html").read_bytes()  # inlined, not published as a file
    assert not (site / "content").exists() and not list(site.rglob("*.yml"))


def test_a_handout_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    content = media_course(tmp_path)
    (content / "media" / "handout.pdf").unlink()
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/course.yml:8:12: error: handouts[0]: no file `media/handout.pdf` in the content folder (paths are relative to it, e.g. media/...)"
    )


def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_symlinks_leaving_the_content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_course("base", tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    (content / "media" / "notes.txt").symlink_to(secret)
    (content / "media" / "etc").symlink_to("/etc", target_is_directory=True)
    err = check(tmp_path, monkeypatch, capsys)
    assert err.splitlines()[:2] == [
        "content/media/etc:1:1: error: a symlink that leads outside the content folder; copy the file into the content folder instead",
        "content/media/notes.txt:1:1: error: a symlink that leads outside the content folder; copy the file into the content folder instead",
    ]


def test_a_module_symlinked_to_dev_zero_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_course("base", tmp_path)
    module = content / "modules" / "02-practice.yml"
    module.unlink()
    module.symlink_to("/dev/zero")
    err = check(tmp_path, monkeypatch, capsys)
    assert err.splitlines() == [
        "content/modules/02-practice.yml:1:1: error: a symlink that leads outside the content folder; copy the file into the content folder instead",
        "1 error in the course.",
    ]


def test_a_device_inside_the_folder_is_refused_by_the_size_check_too(tmp_path: Path) -> None:
    """The loader's own guard, below the folder check: a device is not opened, whatever size it reports."""
    from builder.loader import LoadFailure, read_source

    with pytest.raises(LoadFailure) as failure:
        read_source(Path("/dev/zero"), "zero.yml")
    assert str(failure.value.errors[0]) == "zero.yml:1:1: error: a device, not a file; replace it with a file"


def test_special_files_and_loops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_course("base", tmp_path)
    os.mkfifo(content / "modules" / "03-pipe.yml")
    os.mkfifo(content / "media" / "pipe.png")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(content / "media" / "sock"))
        (content / "media" / "loop").symlink_to("..", target_is_directory=True)
        (content / "media" / "self").symlink_to("self")
        err = check(tmp_path, monkeypatch, capsys)
    assert err.splitlines() == [
        "content/media/loop:1:1: error: a symlink loop (the link leads back to a folder that holds it); remove it",
        "content/media/pipe.png:1:1: error: a named pipe, not a file; only files and folders may be in the content folder",
        "content/media/self:1:1: error: a symlink loop (the link leads back to itself); remove it",
        "content/media/sock:1:1: error: a socket, not a file; only files and folders may be in the content folder",
        "content/modules/03-pipe.yml:1:1: error: a named pipe, not a file; only files and folders may be in the content folder",
        "5 errors in the course.",
    ]


def test_a_build_stops_at_a_loop_before_mkdocs_walks_it(tmp_path: Path) -> None:
    content = copy_course("base", tmp_path)
    (content / "media" / "a").symlink_to("..", target_is_directory=True)
    (content / "media" / "b").symlink_to("..", target_is_directory=True)  # two loops: a walk that follows them never ends
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--content", "content", "-f", CONFIG],
        cwd=tmp_path, capture_output=True, text=True, env=ENV, timeout=60,
    )
    assert result.returncode == 1
    assert "content/media/a:1:1: error: a symlink loop" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("svg", "expected"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg">\n  <script>alert(1)</script>\n</svg>\n', "2:4: error: an SVG image may not hold scripts (`<script>` found)"),
        ('<svg xmlns="http://www.w3.org/2000/svg">\n<rect onload="alert(1)"/></svg>', "2:7: error: an SVG image may not hold scripts (an event handler (`onload=`) found)"),
        ('<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', "1:15: error: an SVG image may not hold scripts (a `javascript:` link found)"),
        ('<svg><a href="java&#115;cript:alert(1)"/></svg>', "1:1: error: an SVG image may not hold scripts (a `javascript:` link found)"),
        ('<svg><foreignObject><div>x</div></foreignObject></svg>', "1:7: error: an SVG image may not hold scripts (`<foreignObject>` found)"),
    ],
)
def test_scripts_in_svg_images(
    svg: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_course("base", tmp_path)
    (content / "media" / "dot.svg").write_text(svg)
    err = check(tmp_path, monkeypatch, capsys)
    assert err.splitlines()[0].startswith(f"content/media/dot.svg:{expected}")


def test_a_plain_svg_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_course("base", tmp_path)
    (content / "media" / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>Click on = here; one script: none</text></svg>')
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0, capsys.readouterr().err


def test_html_media_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_course("base", tmp_path)
    (content / "media" / "page.html").write_text("<p>hello</p>")
    assert check(tmp_path, monkeypatch, capsys).splitlines()[0] == (
        "content/media/page.html:1:1: error: HTML files are not published (a page of its own could run scripts on the"
        " course's site); make it a PDF, or put its text in a module"
    )


def test_editor_and_hidden_files_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_course("base", tmp_path)
    modules = content / "modules"
    (modules / ".#02-practice.yml").symlink_to("user@host.1234:1700000000")  # Emacs' lock file: a link to nowhere
    (modules / ".02-practice.yml.swp").write_bytes(b"\x00binary")
    (modules / "02-practice.yml~").write_text("title: [broken\n")
    (modules / ".03-draft.yml").write_text("title: [broken\n")
    (content / "media" / ".DS_Store").write_bytes(b"\x00\x01")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0, capsys.readouterr().err


def test_an_automatic_block_id_steps_aside_for_the_pages_own(tmp_path: Path) -> None:
    from builder.resolve import resolve
    from builder.validate import load_course

    content = copy_course("base", tmp_path)
    (content / "modules" / "01-intro.yml").write_text(
        "title: Introduction\nkey_points: [One]\nblocks:\n  - type: text\n    title: Key points\n    body: Hello.\n"
    )
    assert resolve(load_course(content)).modules[0].blocks[0].anchor == "key-points-2"


def test_plain_mkdocs_build_stops_at_a_loop_too(tmp_path: Path) -> None:
    content = copy_course("base", tmp_path)
    (content / "media" / "a").symlink_to("..", target_is_directory=True)
    (content / "media" / "b").symlink_to("..", target_is_directory=True)
    (tmp_path / "mkdocs.yml").write_text(
        (REPO / "mkdocs.yml").read_text().replace("custom_dir: theme/overrides", f"custom_dir: {REPO}/theme/overrides")
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=tmp_path, capture_output=True, text=True, env=ENV, timeout=60
    )
    assert result.returncode == 1
    assert "content/media/a:1:1: error: a symlink loop" in result.stderr


def test_an_svg_too_large_to_check_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_course("base", tmp_path)
    with (content / "media" / "dot.svg").open("r+b") as f:
        f.truncate(33 * 1024 * 1024)  # sparse: no disk space taken
    assert check(tmp_path, monkeypatch, capsys).splitlines()[0] == (
        "content/media/dot.svg:1:1: error: an SVG image may be at most 32 MiB; make it smaller"
    )


def test_serve_will_not_start_on_a_folder_it_cannot_read(tmp_path: Path) -> None:
    from .conftest import free_port

    content = copy_course("base", tmp_path)
    (content / "media" / "loop").symlink_to("..", target_is_directory=True)
    result = subprocess.run(
        [sys.executable, "-m", "builder", "serve", "--content", "content", "-f", CONFIG, "-a", f"127.0.0.1:{free_port()}"],
        cwd=tmp_path, capture_output=True, text=True, env=ENV, timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.endswith(
        "error: the course cannot be previewed until these are removed:\n"
        "content/media/loop:1:1: error: a symlink loop (the link leads back to a folder that holds it); remove it\n"
        "1 error in the course.\n"
    )
    assert "Traceback" not in result.stderr
