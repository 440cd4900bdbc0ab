"""Engine adapter: build the Markdown export of a course with a static site engine of the author's choice.

MkDocs (with Material), ProperDocs (a maintained fork of MkDocs 1.6, with Material) and Zensical (Material's
successor) each build the export's sites (see ``export.py``) as they stand, without the ``course`` plugin.
Each runs in its own process, as its command line would, from the Python that runs the builder.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Engine:
    name: str
    module: str  # the Python module that runs it (``python -m module build``)
    package: str  # what to install when it is missing
    strict: str  # its option that turns warnings into errors


ENGINES = {
    "mkdocs": Engine("mkdocs", "mkdocs", "mkdocs-material", "--strict"),
    "properdocs": Engine("properdocs", "properdocs", "properdocs", "--strict"),
    "zensical": Engine("zensical", "zensical", "zensical", "--strict"),
}
DEFAULT = "mkdocs"


class EngineMissing(Exception):
    """The chosen engine is not installed in the Python that runs the builder."""

    def __init__(self, engine: Engine):
        super().__init__(f"the {engine.name} engine is not installed; install it with `pip install {engine.package}`")


class EngineFailed(Exception):
    """The engine ran and failed; the message is the end of what it printed."""


def require(name: str) -> Engine:
    """The engine ``name``, or :class:`EngineMissing` when its module cannot be imported."""
    engine = ENGINES[name]
    try:
        found = importlib.util.find_spec(engine.module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise EngineMissing(engine)
    return engine


def run(engine: Engine, config_file: Path, strict: bool = False, what: str = "the site") -> None:
    """Build the site of ``config_file`` (an exported view) with ``engine`` into that config's ``site_dir``."""
    command = [sys.executable, "-m", engine.module, "build", "-f", str(config_file)]
    if strict:
        command.append(engine.strict)
    # Material's notice about MkDocs 2.0 is for the reader of a terminal, not for a build's log.
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=config_file.parent, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stderr + result.stdout).strip().splitlines()
        # The end of what it printed, after the exceptions it names (a traceback's last line may lie further up).
        causes = [line for line in output[:-20] if _EXCEPTION.match(line)]
        raise EngineFailed(f"{engine.name} failed to build {what}:\n" + "\n".join(causes + output[-20:]))


_EXCEPTION = re.compile(r"^[A-Za-z_.]*(Error|Exception): ")


def build(name: str, content: Path, config_file: str, site_dir: Path, trainer_dir: Path, strict: bool = False) -> None:
    """Export the course of ``content`` and build both views with the engine ``name``: the participant view into
    ``site_dir``, the trainer view into ``trainer_dir`` (which may lie inside it); both empty or not there yet.
    Each translation goes where the plugin puts it: ``<lang>/`` of the participant site, and ``<lang>/trainer/``
    of it (the trainer view inside the site) or ``<lang>/`` of ``trainer_dir`` (a folder of its own)."""
    from .export import TRAINER_SITE, export_markdown

    engine = require(name)
    with tempfile.TemporaryDirectory(prefix="course-export-") as temporary:
        out = Path(temporary) / "export"
        languages = export_markdown(content, out, config_file)
        inside = trainer_dir == site_dir / "trainer"
        sites = [(out, site_dir, trainer_dir, "")]
        sites += [
            (out / lang, site_dir / lang, site_dir / lang / "trainer" if inside else trainer_dir / lang, f" ({lang})")
            for lang in languages
        ]
        for folder, participant, trainer, language in sites:
            for view_folder, view, target in ((folder, "participant", participant), (folder / TRAINER_SITE, "trainer", trainer)):
                run(engine, view_folder / "mkdocs.yml", strict, f"the {view} view{language}")
                _move_into(view_folder / "site", target)


def _move_into(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        shutil.move(entry, target / entry.name)
