"""Offline adapter: the built view as ``dist/<course-slug>-offline.zip``, opened from disk by double-clicking
``index.html``. The participant's copy holds the participant view alone; the trainer's copy (``view="trainer"``)
holds the whole site, the trainer view in ``trainer/``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..resolve import View
from . import build_view, slug_name, write_zip


def package_offline(content: Path, dist: Path, config_file: str = "mkdocs.yml", view: View = "participant") -> Path:
    """Build the offline package of the course in ``content`` into ``dist``; returns the zip's path."""
    with tempfile.TemporaryDirectory(prefix="course-offline-") as temp:
        built = build_view(config_file, content, view, Path(temp) / "site")
        suffix = "offline" if view == "participant" else "trainer-offline"
        return write_zip(built.root, dist / slug_name(built.course, suffix))
