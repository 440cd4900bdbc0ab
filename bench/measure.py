"""Measurements: cold builds, the builder's stages, edit-to-reload latency of a running server, memory, size.

Every build and server runs as a subprocess, as an author would run it; peak memory is that
process's own (``wait4``), which includes the forked process that builds the trainer view.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass
class Run:
    seconds: float
    max_rss_mb: float


def run(command: list[str], cwd: Path = ROOT) -> Run:
    """Run ``command`` to completion; its wall time and its peak resident memory (with waited-for children)."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, env=ENV)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            raise RuntimeError(f"{' '.join(command)} failed:\n{output.read().decode(errors='replace')[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def course_build(content: Path, site: Path) -> Run:
    return run(
        python("-m", "builder", "build", "--content", str(content), "--site-dir", str(site), "-f", str(ROOT / "mkdocs.yml"))
    )


def export(content: Path, out: Path) -> None:
    run(python("-m", "builder", "export", "markdown", str(out), "--content", str(content), "-f", str(ROOT / "mkdocs.yml")))


def stock_build(exported: Path) -> Run:
    """Both exported views built by stock MkDocs, one after the other (the export makes a site of each)."""
    # Each from its own folder, where its copy of the sanitizer is imported from.
    participant = run(python("-m", "mkdocs", "build", "-q", "-f", str(exported / "mkdocs.yml")), cwd=exported)
    trainer = run(python("-m", "mkdocs", "build", "-q", "-f", str(exported / "trainer-site" / "mkdocs.yml")), cwd=exported / "trainer-site")
    return Run(participant.seconds + trainer.seconds, max(participant.max_rss_mb, trainer.max_rss_mb))


@dataclass
class SiteSize:
    pages: int
    median_kb: float
    module_kb: float  # one module page
    total_mb: float


def site_size(site: Path, module_page: str) -> SiteSize:
    pages = [p for p in site.rglob("*.html") if "assets" not in p.parts]
    sizes = [p.stat().st_size for p in pages]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return SiteSize(len(pages), statistics.median(sizes) / 1024, (site / module_page).stat().st_size / 1024, total / 1048576)


STAGES = r"""
import gc, json, sys, time
from pathlib import Path
import yaml
from builder.loader import load_file
from builder.render import Renderer
from builder.resolve import resolve
from builder.validate import CourseLoader
from builder.errors import display_path
from builder.plugin import collector_paused
root, warm = Path(sys.argv[1]), int(sys.argv[2])
files = [root / "course.yml", *sorted((root / "modules").glob("*.yml"))]
clock = time.process_time  # CPU time: what a neighbour on the machine takes is not counted
runs = []
for run in range(1 + warm):  # the first also compiles the templates; the others are what each more module costs
    with collector_paused():  # as in a build
        start = clock()
        for path in files:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        floor = clock() - start
        start = clock()
        for path in files:
            load_file(path, display_path(path))
        parsed = clock() - start
        start = clock()
        source = CourseLoader().load(root)  # loads again, with a fresh cache
        loaded = clock() - start
        start = clock()
        course = resolve(source)
        resolved = clock() - start
        renderer = Renderer(course)
        start = clock()
        renderer.pages("participant")
        participant = clock() - start
        start = clock()
        renderer.pages("trainer")
        trainer = clock() - start
    runs.append({
        "load": parsed, "validate": loaded - parsed, "resolve": resolved, "render": participant + trainer,
        "render_participant": participant, "render_trainer": trainer, "yaml_floor": floor,
    })
    del source, course, renderer
    gc.collect()  # each run starts from the heap a build starts from, not with the last run's course still in it
print(json.dumps(runs))
"""

STAGE_RUNS = 5


def stages(content: Path) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds of CPU each stage of the builder takes on the whole course in a fresh interpreter: the first run
    (templates compiled on the way), and the least of :data:`STAGE_RUNS` runs after it, stage by stage (the
    machine may be shared: the least is the work itself, with the least interference)."""
    result = subprocess.run(
        python("-c", STAGES, str(content), str(STAGE_RUNS)), cwd=ROOT, env=ENV, capture_output=True, text=True, check=True
    )
    first, *warm = json.loads(result.stdout.strip().splitlines()[-1])
    return first, {key: min(run[key] for run in warm) for key in first}


CHECK = """
import json, sys, time
from pathlib import Path
from builder.validate import CourseLoader
from builder.errors import CourseErrors
times = []
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    try:
        CourseLoader().load(Path(sys.argv[1]))
    except CourseErrors:
        pass
    times.append(time.process_time() - start)
print(json.dumps(min(times)))
"""


def check_seconds(content: Path, runs: int = 3) -> float:
    """CPU seconds to load and check the course in ``content`` (the least of ``runs``, in a fresh interpreter)."""
    result = subprocess.run(
        python("-c", CHECK, str(content), str(runs)), cwd=ROOT, env=ENV, capture_output=True, text=True, check=True
    )
    return float(json.loads(result.stdout.strip().splitlines()[-1]))


# --- live preview ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode("utf-8", errors="replace"))


_EPOCH = re.compile(r"livereload\((\d+), (\d+)\)")


class Server:
    """A running ``course serve`` or ``mkdocs serve``, and what it takes for an edit to reach the browser."""

    def __init__(self, command: list[str], cwd: Path, port: int):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(command, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, env=ENV)
        self.max_rss_mb = 0.0

    def wait_for(self, path: str, check: Callable[[str], bool], timeout: float = 900) -> str:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{self.output()[-3000:]}")
            try:
                last = fetch(self.base + path)
                if check(last):
                    return last
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.02)
        raise RuntimeError(f"timed out waiting for {path}; server output:\n{self.output()[-3000:]}")

    def edit(self, path: Path, before: str, after: str, page: str, expect: str) -> tuple[float, float, float]:
        """Replace ``before`` by ``after`` in ``path``: seconds until browsers are told to reload, and until ``page``
        is served with ``expect`` in it; and when the file was saved (``time.perf_counter``)."""
        html = fetch(self.base + page)
        match = _EPOCH.search(html)
        assert match, "no live reload script in the page"
        notified: list[float] = []

        def long_poll() -> None:
            fetch(f"{self.base}/livereload/{match.group(1)}/{match.group(2)}", timeout=900)
            notified.append(time.perf_counter())

        waiter = threading.Thread(target=long_poll, daemon=True)
        waiter.start()
        time.sleep(0.05)  # the long poll is waiting before the file changes
        text = path.read_text(encoding="utf-8")
        assert before in text, f"{before!r} not in {path}"
        start = time.perf_counter()
        path.write_text(text.replace(before, after, 1), encoding="utf-8")
        self.wait_for(page, lambda html: expect in html)
        served = time.perf_counter() - start
        waiter.join(timeout=900)
        return (notified[0] - start if notified else served), served, start

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            _, _, usage = os.wait4(self.process.pid, 0)
            self.max_rss_mb = usage.ru_maxrss / 1024
        except ChildProcessError:
            pass
        self.process.returncode = 0
        self.log.close()


def course_serve(content: Path, port: int) -> Server:
    command = python(
        "-m", "builder", "serve", "--content", str(content), "-f", str(ROOT / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"
    )
    return Server(command, ROOT, port)


def stock_serve(exported: Path, port: int) -> Server:
    return Server(python("-m", "mkdocs", "serve", "-f", str(exported / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"), exported, port)
