"""Shared test helpers: fixture courses copied into a temporary folder, and golden files."""

from __future__ import annotations

import shutil
import socket
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite golden files and expected errors from the current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_course(name: str, target: Path, overlay: Path | None = None) -> Path:
    """Copy a fixture course to ``target/content``, then lay ``overlay``'s files over it."""
    content = target / "content"
    shutil.copytree(FIXTURES / name, content)
    if overlay is not None:
        for path in sorted(overlay.rglob("*")):
            rel = path.relative_to(overlay)
            if path.is_dir() or rel.name in ("expected.txt",):
                continue
            if rel.name == "REMOVE":
                for line in path.read_text().split():
                    (content / line).unlink()
                continue
            (content / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, content / rel)
    return content


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare with a golden file; ``pytest --update-golden`` rewrites it for review as a diff."""
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"{path} did not exist; written now, review it and run again")
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs; if the change is right, run pytest --update-golden"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:
        return str(response.read().decode("utf-8"))


def wait_for(url: str, check: Callable[[str], bool], timeout: float = 90) -> str:
    """Poll a served page until ``check`` accepts it; fail with the last page seen."""
    deadline, last = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if check(last):
                return last
        except OSError:  # not up yet (URLError and ConnectionError are OSErrors)
            pass
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting on {url}; last page:\n{last[:3000]}")
