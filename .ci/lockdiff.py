"""Compare the lock with what a fresh install of the newest allowed versions chose: one line a package that moved."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.MULTILINE)


def pins(path: str) -> dict[str, str]:
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in PIN.findall(Path(path).read_text())}


# What the new environment brings itself rather than installs from the ranges: not a drift.
OWN = {"course-builder", "pip", "setuptools"}


def main(lock: str, installed: str) -> int:
    locked, newest = pins(lock), pins(installed)
    for name in OWN:
        locked.pop(name, None)
        newest.pop(name, None)
    moved = [(name, locked[name], newest[name]) for name in sorted(locked.keys() & newest.keys()) if locked[name] != newest[name]]
    for name, old, new in moved:
        print(f"  {name}: {old} (lock) -> {new} (newest)")
    for name in sorted(newest.keys() - locked.keys()):
        print(f"  {name}: not in the lock -> {newest[name]}")
    if not moved:
        print("  the lock holds the newest versions of every package")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
