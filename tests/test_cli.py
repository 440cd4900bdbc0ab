"""The `course` command: check, atomic build, new module, schema, export, and plain mkdocs."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.cli import main
from builder.schema import write_schemas

from .conftest import FIXTURES, REPO, copy_course, free_port, wait_for

ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def course(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True, env={**ENV, **(env or {})})


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def test_the_log_follows_stderr_as_it_is_when_a_message_comes(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import logging

    from builder.cli import _setup_logging

    _setup_logging(False)
    first, later = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    logging.getLogger("mkdocs.plugins.course").warning("one")
    assert first.getvalue() == "WARNING -  one\n"
    first.close()  # as a caller's captured stream is closed when it is done with it
    monkeypatch.setattr(sys, "stderr", later)
    logging.getLogger("mkdocs.plugins.course").warning("two")
    assert later.getvalue() == "WARNING -  two\n"


def test_check_passes_on_the_default_course() -> None:
    result = course("check", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("content: ok:")


def test_failed_build_keeps_the_last_good_site(tmp_path: Path) -> None:
    content = copy_course("base", tmp_path)
    config = str(REPO / "mkdocs.yml")
    assert course("build", "--content", "content", "-f", config, cwd=tmp_path).returncode == 0
    before = digest(tmp_path / "site")
    (content / "modules" / "02-practice.yml").write_text("title: Practice\nblocks:\n  - type: think_and_share\n")
    result = course("build", "--content", "content", "-f", config, cwd=tmp_path)
    assert result.returncode == 1
    assert "content/modules/02-practice.yml:3:5: error: blocks[0].prompt: required field missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]  # no staging folder left behind
    assert (tmp_path / "site").stat().st_mode & 0o755 == 0o755  # readable by a web server, not private


def test_a_failing_mkdocs_stage_also_keeps_the_last_good_site(tmp_path: Path) -> None:
    """A problem MkDocs finds (a broken link, in strict mode) after our checks passed."""
    content = copy_course("base", tmp_path)
    config = str(REPO / "mkdocs.yml")
    assert course("build", "--strict", "--content", "content", "-f", config, cwd=tmp_path).returncode == 0
    before = digest(tmp_path / "site")
    (content / "modules" / "01-intro.yml").write_text(
        "title: Introduction\nblocks:\n  - type: text\n    body: '[gone](nowhere.md)'\n"
    )
    result = course("build", "--strict", "--content", "content", "-f", config, cwd=tmp_path)
    assert result.returncode == 1
    assert "nowhere.md" in result.stderr and "untouched" in result.stderr and "Traceback" not in result.stderr
    assert digest(tmp_path / "site") == before


def test_new_module_is_numbered_listed_and_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_course("base", tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["new", "module", 'Working with "Dads" & Co']) == 0
    created = content / "modules" / "03-working-with-dads-co.yml"
    assert created.read_text().startswith(
        '# yaml-language-server: $schema=../../schema/module.schema.json\ntitle: "Working with \\"Dads\\" & Co"\n'
    )
    assert (content / "course.yml").read_text().splitlines()[1:5] == [
        "modules:",
        "  - intro",
        "  - practice",
        "  - working-with-dads-co",
    ]
    assert main(["check"]) == 0
    assert main(["new", "module", "Working with Dads & Co"]) == 1
    assert "exists already" in capsys.readouterr().err


def test_new_module_with_a_flow_list_and_without_a_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = copy_course("base", tmp_path)
    monkeypatch.chdir(tmp_path)
    text = (content / "course.yml").read_text().replace("modules:\n  - intro\n  - practice\n", "modules: [intro, practice]\n")
    (content / "course.yml").write_text(text)
    assert main(["new", "module", "Third"]) == 0
    assert "modules: [intro, practice, third]" in (content / "course.yml").read_text()
    unlisted = "title: No list\nreferences:\n  - key: smith2020\n    citation: S\n"
    (content / "course.yml").write_text(unlisted)
    assert main(["new", "module", "Fourth"]) == 0
    assert (content / "modules" / "04-fourth.yml").is_file()
    assert (content / "course.yml").read_text() == unlisted
    assert main(["check"]) == 0


def test_committed_schema_is_up_to_date(tmp_path: Path) -> None:
    assert write_schemas(REPO / "schema", check=True) == [], "the committed schema is stale: run `course schema`"
    (tmp_path / "course.schema.json").write_text("{}")
    assert [p.name for p in write_schemas(tmp_path, check=True)] == ["course.schema.json", "module.schema.json", "session.schema.json"]


def test_schema_describes_the_format() -> None:
    schema = json.loads((REPO / "schema" / "module.schema.json").read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["required"] == ["title", "blocks"] and schema["additionalProperties"] is False
    assert "^x-" in schema["patternProperties"]
    think = schema["definitions"]["ThinkAndShare"]
    assert think["properties"]["grouping"]["anyOf"][0]["enum"] == ["individual", "pairs", "small_groups", "whole_group"]


def mkdocs_build(config: str, cwd: Path) -> None:
    """As the export's config says: from its folder, where the site's sanitizer is imported from."""
    folder = (cwd / config).parent
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml"], cwd=folder, capture_output=True, text=True, env=ENV
    )
    assert built.returncode == 0, built.stderr


def test_export_builds_each_view_as_a_site_of_its_own_with_stock_mkdocs(tmp_path: Path) -> None:
    copy_course("tiny", tmp_path)
    config = str(REPO / "mkdocs.yml")
    assert course("build", "--content", "content", "-f", config, cwd=tmp_path).returncode == 0
    result = course("export", "markdown", "out", "--content", "content", "-f", config, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    for exported in (out / "mkdocs.yml", out / "trainer-site" / "mkdocs.yml"):
        assert "course" not in exported.read_text().split("plugins:")[1].split("markdown_extensions:")[0]
    mkdocs_build("out/mkdocs.yml", tmp_path)
    mkdocs_build("out/trainer-site/mkdocs.yml", tmp_path)

    def pages(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("index.html") if "assets" not in p.parts}

    site = tmp_path / "site"
    assert pages(out / "site") == {p for p in pages(site) if not p.startswith("trainer/")}
    assert pages(out / "trainer-site" / "site") == pages(site / "trainer")
    # The participant export's search holds no trainer text, and none of its files does.
    index = (out / "site" / "search" / "search_index.json").read_text()
    assert "FACILITATOR-NOTE-TS" not in index and "first-steps" in index
    assert not any(b"FACILITATOR-NOTE-TS" in p.read_bytes() for p in (out / "site").rglob("*") if p.is_file())
    assert not any(b"FACILITATOR-NOTE-TS" in p.read_bytes() for p in (out / "docs").rglob("*") if p.is_file())
    assert "FACILITATOR-NOTE-TS" in (out / "trainer-site" / "site" / "search" / "search_index.json").read_text()
    ours = (site / "trainer" / "first-steps" / "index.html").read_text()
    theirs = (out / "trainer-site" / "site" / "first-steps" / "index.html").read_text()
    assert "FACILITATOR-NOTE-TS" in ours and "FACILITATOR-NOTE-TS" in theirs
    assert 'href="../../first-steps/">Participant view of this page' in theirs  # served at trainer/ below the participant site
    # Exporting again replaces what the export wrote, and what was built from it.
    assert course("export", "markdown", "out", "--content", "content", "-f", config, cwd=tmp_path).returncode == 0
    assert not (out / "site").exists()
    result = course("export", "markdown", "content", "--content", "content", "-f", config, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "error: the export folder content is the content folder; write into a folder of its own, e.g. export\n"


def test_plain_mkdocs_build_in_the_project_root(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file() and (tmp_path / "site" / "trainer" / "agenda" / "index.html").is_file()


@contextlib.contextmanager
def running(args: list[str], cwd: Path) -> Iterator[tuple[str, list[str]]]:
    """A server command on a free loopback port: yields its base URL and, once stopped, its output."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", *args, "-a", f"127.0.0.1:{port}"],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=ENV,
    )
    output: list[str] = []
    try:
        yield f"http://127.0.0.1:{port}", output
        assert server.poll() is None, "the server stopped"
    finally:
        server.terminate()
        try:
            output.append(server.communicate(timeout=20)[0])
        except subprocess.TimeoutExpired:
            server.kill()
            raise AssertionError("the server did not stop within 20 s of SIGTERM; it printed:\n" + server.communicate()[0]) from None


def test_serve_shows_content_errors_and_keeps_running(tmp_path: Path) -> None:
    content = copy_course("base", tmp_path)
    with running(["builder", "serve", "--content", "content", "-f", str(REPO / "mkdocs.yml")], tmp_path) as (base, output):
        wait_for(base + "/intro/", lambda page: "Hello." in page)
        module = content / "modules" / "01-intro.yml"
        module.write_text("title: Introduction\nblocks:\n  - type: text\n    body: Hello again.\n    cite: [smith2021]\n")
        page = wait_for(base + "/intro/", lambda page: "The last save has errors" in page)
        assert "content/modules/01-intro.yml:5:12: error: blocks[0].cite[0]: unknown reference key `smith2021`" in page
        assert "Hello." in page  # the last good version stays on show
        wait_for(base + "/trainer/intro/", lambda page: "The last save has errors" in page)
        module.write_text("title: Introduction\nblocks:\n  - type: text\n    body: Fixed now.\n")
        page = wait_for(base + "/intro/", lambda page: "Fixed now." in page)
        assert "The last save has errors" not in page
    assert "unknown reference key `smith2021`" in output[0]
    assert "Traceback" not in output[0]


def test_python_dash_m_is_the_course_command() -> None:
    result = course("--help", cwd=REPO)
    assert result.returncode == 0 and "check" in result.stdout and "export" in result.stdout
    assert FIXTURES.is_dir()


def test_plain_mkdocs_serve_in_the_project_root() -> None:
    with running(["mkdocs", "serve", "--no-livereload"], REPO) as (base, _):
        assert "Building a Therapeutic Alliance" in wait_for(base + "/", lambda page: "</html>" in page)
        assert "Agenda" in wait_for(base + "/trainer/agenda/", lambda page: "</html>" in page)


def project(tmp_path: Path) -> Path:
    """A project folder as authors have it: mkdocs.yml, content/ and theme/ beside each other."""
    copy_course("base", tmp_path)
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text().replace("custom_dir: theme/overrides", f"custom_dir: {REPO}/theme/overrides"))
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "notes.txt").write_text("the author's own file")
    return tmp_path


@pytest.mark.parametrize(
    ("site_dir", "message"),
    [
        ("content", "error: --site-dir content is the content folder; write into a folder of its own, e.g. site"),
        (".", "error: --site-dir . holds the content folder (content); write into a folder of its own, e.g. site"),
        ("content/media", "error: --site-dir content/media is inside the content folder; write into a folder of its own, e.g. site"),
        ("..", "error: --site-dir .. holds the content folder (content); write into a folder of its own, e.g. site"),
        ("mine", "error: --site-dir mine holds files a build did not write (it has no .course-build); empty it or choose another folder"),
        ("link", "error: --site-dir link is a symlink; give the folder it leads to"),
    ],
)
def test_an_output_folder_that_would_lose_files_is_refused(tmp_path: Path, site_dir: str, message: str) -> None:
    root = project(tmp_path / "project")
    (root / "mine").mkdir()
    (root / "mine" / "thesis.txt").write_text("years of work")
    (root / "link").symlink_to("mine")
    before = digest(tmp_path)
    result = course("build", "--site-dir", site_dir, cwd=root)
    assert result.returncode == 1
    assert result.stderr.replace(str(tmp_path / "project") + "/", "").replace(str(tmp_path / "project"), ".") == message + "\n"
    assert digest(tmp_path) == before
    assert sorted(p.name for p in root.iterdir()) == ["content", "link", "mine", "mkdocs.yml", "theme"]  # no staging folder either


def test_a_site_folder_with_a_file_no_build_wrote_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert course("build", cwd=root).returncode == 0
    assert course("build", cwd=root).returncode == 0  # what a build wrote, a build replaces
    (root / "site" / "htpasswd").write_text("trainer:secret")
    before = digest(root)
    result = course("build", cwd=root)
    assert result.returncode == 1
    assert result.stderr == (
        "error: --site-dir site holds htpasswd, which a build did not write; move it out (a build replaces the folder whole)"
        " or choose another folder\n"
    )
    assert digest(root) == before


def test_the_trainer_view_in_a_folder_of_its_own(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = course("build", "--trainer-site-dir", "trainer-site", cwd=root, env={"COURSE_SITE_URL": "https://course.example.org/"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Built the participant view in site/ and the trainer view in trainer-site/"
    site, trainer = root / "site", root / "trainer-site"
    assert not (site / "trainer").exists() and (trainer / "agenda" / "index.html").is_file()
    assert (site / ".course-build").is_file() and (trainer / ".course-build").is_file()
    # Hosted as the README says (the trainer folder at /trainer/ of the same site): its links back reach the participant pages.
    page = (trainer / "intro" / "index.html").read_text()
    link = re.search(r'<a href="([^"]*)">Participant view of this page', page)
    assert link is not None
    target = urllib.parse.urljoin("https://course.example.org/trainer/intro/", link.group(1))
    assert target == "https://course.example.org/intro/" and (site / "intro" / "index.html").is_file()
    assert '<link rel="canonical" href="https://course.example.org/trainer/intro/">' in page
    assert course("build", "--trainer-site-dir", "site/trainer", cwd=root).returncode == 1  # overlapping folders


def test_a_killed_build_leaves_nothing_behind_the_next_build(tmp_path: Path) -> None:
    from bench.generate import generate

    generate(tmp_path / "content", 40, words=300)
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text().replace("custom_dir: theme/overrides", f"custom_dir: {REPO}/theme/overrides"))
    build = subprocess.Popen([sys.executable, "-m", "builder", "build"], cwd=tmp_path, env=ENV, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    # Caught once a page is written: the search folder comes only in the last moments before the site is put in place,
    # and a fast build could finish between two looks.
    while not list(tmp_path.glob(".site-new-*/*/index.html")) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    time.sleep(0.5)  # the forked trainer build, killed too, is gone
    staging = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert staging, "the build was not caught in the middle"
    result = course("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "mkdocs.yml", "site"]
