"""SCORM adapter (placeholder until the manifest lands)."""

from __future__ import annotations

from pathlib import Path


def package_scorm(content: Path, dist: Path, config_file: str, version: str, per_module: bool) -> list[Path]:
    raise NotImplementedError
