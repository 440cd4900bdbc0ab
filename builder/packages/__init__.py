"""What the package adapters share: a view of the course built to be opened from disk, and a zip of it.

A package is a folder of static pages that must work without a web server: opened with ``file://``
(the offline package) or served by a learning management system from inside a zip (SCORM). So the
view is built with Material's instant navigation off (it fetches pages, which ``file://`` refuses),
every link to a folder points at its ``index.html`` (a folder opened from disk shows a listing, not
a page), the search index is inlined into a script, and ``offline.js`` runs Material's search worker
from a blob (``file://`` refuses to start a worker from a file). Each adapter (``offline.py``,
``scorm.py``) takes such a built view and writes its own form.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority

from ..render import TRAINER_PREFIX
from ..resolve import ResolvedCourse, View, resolve
from ..validate import load_course

# The feature scripts of package builds, beside the site's own (theme/overrides/assets/javascripts/).
OFFLINE_JS = "assets/javascripts/offline.js"
CORE_JS = "assets/javascripts/core.js"  # the shared core of the site's scripts (course.text, course.store)
LMS_JS = "assets/javascripts/lms.js"
PACKAGE_SCRIPTS = (OFFLINE_JS, LMS_JS)
# Material features a package cannot have: instant navigation fetches every page it opens.
OFF_FEATURES = ("navigation.instant", "navigation.instant.prefetch", "navigation.instant.progress", "navigation.instant.preview")
# What a web server uses and a package does not: the not-found page (its links start at the host's root), the
# sitemaps, and the list a build keeps of the files it wrote (for the next build into the same folder).
SERVER_FILES = ("404.html", "sitemap.xml", "sitemap.xml.gz", ".course-build")
# Written beside Material's search worker: its source and the lunr language files it imports, as strings.
WORKER_DATA = "search/search_worker.js"
INDEX_SCRIPT = "search/search_index.js"
# A fixed time for every zip entry, so that the same course gives the same zip.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)

_HREF = re.compile(r'(<(?:a|link)\b[^>]*?\shref=")([^"]*)(")', re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class BuiltView:
    """A view of the course built for a package: the folder holding it and the course it was built from."""

    root: Path
    course: ResolvedCourse
    view: View
    text: dict[str, object] | None = None  # the scripts' words given by the project (mkdocs.yml's extra.course_text)

    def files(self) -> list[str]:
        """Every file of the built view, as sorted paths relative to its root with ``/`` separators."""
        return sorted(path.relative_to(self.root).as_posix() for path in self.root.rglob("*") if path.is_file())


def load(content: Path) -> ResolvedCourse:
    """The course in ``content``, checked (a :class:`~builder.errors.CourseErrors` when it has errors) and resolved."""
    return resolve(load_course(content))


def build_view(config_file: str, content: Path, view: View, out: Path, scripts: Iterable[str] = ()) -> BuiltView:
    """Build ``view`` of the course in ``content`` into ``out`` for a package; ``scripts`` are added to every page.

    The participant view is built alone, without the trainer view; the trainer view (the
    trainer's copy) comes with the whole site: the participant view, and the trainer view in ``trainer/``.
    """
    scripts = tuple(scripts)
    course = load(content)
    if out.exists():
        shutil.rmtree(out)
    if view == "trainer":
        text = _build(config_file, content, "participant", out, scripts)
        _build(config_file, content, "trainer", out / TRAINER_PREFIX.rstrip("/"), scripts)
    else:
        text = _build(config_file, content, "participant", out, scripts)
    unused = set(PACKAGE_SCRIPTS) - {OFFLINE_JS, *scripts}
    for root in (out, out / TRAINER_PREFIX.rstrip("/")):
        for name in (*unused, *SERVER_FILES):
            (root / name).unlink(missing_ok=True)
    for html in out.rglob("*.html"):
        html.write_text(file_links(html.read_text(encoding="utf-8")), encoding="utf-8")
    for index in out.rglob("search/search_index.json"):
        inline_search(index.parent.parent)
    return BuiltView(out, course, view, text)


def _build(config_file: str, content: Path, view: View, site_dir: Path, scripts: Iterable[str]) -> dict[str, object] | None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file, site_dir=str(site_dir), docs_dir=str(content.resolve()))
    config["site_url"] = None  # no canonical links to a web host
    config.extra["course_view"] = view
    course_plugin = config.plugins.get("course")
    if course_plugin is not None:
        course_plugin.config.trainer_view = False  # each view is built here, with the same settings
    features = config.theme.get("features")
    if isinstance(features, list):
        features[:] = [f for f in features if f not in OFF_FEATURES]
    config.extra["polyfills"] = [*config.extra.get("polyfills", []), OFFLINE_JS]
    config.plugins["course-package"] = _LastScripts(list(scripts))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    text = config.extra.get("course_text")
    return dict(text) if isinstance(text, dict) else None


class _LastScripts(BasePlugin):  # type: ignore[type-arg]
    """Adds a package's scripts after every other plugin has set the site's own (core.js first): a package's
    feature file builds on them."""

    def __init__(self, scripts: list[str]):
        super().__init__()
        self.scripts = scripts

    @event_priority(-100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        present = {str(s) for s in config.extra_javascript}
        config.extra_javascript.extend(s for s in self.scripts if s not in present)  # type: ignore[arg-type]
        return config


def file_link(href: str) -> str:
    """A relative link to a folder made a link to its ``index.html``; any other link as it is."""
    if not href or href.startswith(("#", "/")) or _SCHEME.match(href):
        return href
    cut = min((i for i in (href.find("?"), href.find("#")) if i != -1), default=len(href))
    path, rest = href[:cut], href[cut:]
    if path.endswith("/"):
        path += "index.html"
    elif path.rsplit("/", 1)[-1] in (".", ".."):
        path += "/index.html"
    else:
        return href
    return path + rest


def file_links(html: str) -> str:
    """Every relative link to a folder in a page made a link to its ``index.html`` (a folder opened from disk
    shows a listing)."""
    return _HREF.sub(lambda m: m.group(1) + file_link(m.group(2)) + m.group(3), html)


def inline_search(view_root: Path) -> None:
    """The search index as a script (Material loads ``search/search_index.js`` itself under ``file://``) and the
    search worker's source, with the lunr files it imports, as a script for ``offline.js`` to start from a blob."""
    search = view_root / "search"
    index = (search / "search_index.json").read_text(encoding="utf-8")
    (view_root / INDEX_SCRIPT).write_text(f"var __index = {index};\n", encoding="utf-8")
    scripts = view_root / "assets" / "javascripts"
    workers = sorted((scripts / "workers").glob("search.*.js"))
    workers = [w for w in workers if not w.name.endswith(".map")]
    if len(workers) != 1:
        raise RuntimeError(f"expected one search worker in {scripts / 'workers'}, found {len(workers)}")
    languages = _search_languages(index)
    lunr: dict[str, str] = {}
    for name in _lunr_files(languages):
        path = scripts / "lunr" / name
        if path.is_file():
            lunr[name] = path.read_text(encoding="utf-8")
    data = {"source": workers[0].read_text(encoding="utf-8"), "lunr": lunr}
    (view_root / WORKER_DATA).write_text(
        "/* Material's search worker, for offline.js to start from a blob under file:// (generated). */\n"
        f"window.__courseSearchWorker = {script_json(data)};\n",
        encoding="utf-8",
    )


def _search_languages(index: str) -> list[str]:
    config = json.loads(index).get("config", {})
    languages = config.get("lang") or ["en"]
    return [languages] if isinstance(languages, str) else list(languages)


def _lunr_files(languages: list[str]) -> Iterator[str]:
    """The files under ``lunr/`` Material's search worker imports for ``languages`` (none for English alone)."""
    wanted = []
    for language in languages:
        if language == "ja":
            wanted.append("tinyseg.js")
        elif language in ("hi", "th"):
            wanted.append("wordcut.js")
        if language != "en":
            wanted.append(f"min/lunr.{language}.min.js")
    if len(languages) > 1:
        wanted.append("min/lunr.multi.min.js")
    if wanted:
        yield "min/lunr.stemmer.support.min.js"
        yield from wanted


def script_json(value: object) -> str:
    """JSON safe inside a script: no ``</script>`` and no line separators JavaScript would choke on."""
    return json.dumps(value).replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def write_zip(root: Path, target: Path, files: Iterable[str] | None = None, extra: dict[str, bytes] | None = None) -> Path:
    """Zip ``files`` of ``root`` (all of them by default) and the ``extra`` contents into ``target``, in a fixed
    order with fixed times, so that the same course gives the same zip."""
    target.parent.mkdir(parents=True, exist_ok=True)
    names = sorted(files if files is not None else (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()))
    partial = target.with_name(f".{target.name}.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted((extra or {}).items()):
            archive.writestr(_entry(name), data)
        for name in names:
            archive.writestr(_entry(name), (root / name).read_bytes())
    partial.replace(target)
    return target


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def slug_name(course: ResolvedCourse, suffix: str) -> str:
    """A package's file name: ``<course-slug>-<suffix>.zip``."""
    return f"{course.slug}-{suffix}.zip"
