"""Compare the lock with what a fresh install of the newest allowed versions chose: one line a package that moved."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.MULTILINE)


def pins(path: str) -> dict[str, str]:
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in PIN.findall(Path(path).read_text())}


def main(lock: str, installed: str) -> int:
    locked, newest = pins(lock), pins(installed)
    moved = [(name, locked[name], newest[name]) for name in sorted(locked.keys() & newest.keys()) if locked[name] != newest[name]]
    for name, old, new in moved:
        print(f"  {name}: {old} (lock) -> {new} (newest)")
    for name in sorted(newest.keys() - locked.keys() - {"course-builder", "pip"}):
        print(f"  {name}: not in the lock -> {newest[name]}")
    if not moved:
        print("  the lock holds the newest versions of every package")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
