"""Markdown adapter: write the generated pages of each view as a site of its own that any engine can build.

``OUT/`` is the participant view: ``docs/`` (its pages and the media they use), ``overrides/`` (the
theme overrides and assets) and ``mkdocs.yml``, which builds it with stock MkDocs and Material, without
the ``course`` plugin. ``OUT/trainer-site/`` is the trainer view, laid out the same way. Each has its own
search, so the participant site's index holds no trainer text; as with ``course build``, the trainer
view's links back to the participant view expect it served at ``trainer/`` below the participant site.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

import yaml

from . import i18n, messages
from .render import THEME_DIR, Renderer, nav
from .resolve import ResolvedCourse, View, resolve
from .site import REQUIRED_EXTENSIONS, TRAINER_ONLY_ASSETS, assets, inline_markdown
from .validate import CourseLoader

TRAINER_SITE = "trainer-site"  # the trainer view's folder in the export
BUILT = ("site", f"{TRAINER_SITE}/site")  # where the exported sites build to: not the export's own files


def _project_config(config_file: str) -> dict[str, Any]:
    path = Path(config_file)
    if not path.is_file():
        return {}
    from mkdocs.utils.yaml import yaml_load

    with path.open(encoding="utf-8") as f:
        return yaml_load(f) or {}


def export_markdown(content: Path, out: Path, config_file: str = "mkdocs.yml", theme_dir: Path = THEME_DIR) -> None:
    """Write both views below ``out``, which must not exist or be empty (the command writes a new folder, then swaps)."""
    loaded = CourseLoader().load(content)
    messages.use(i18n.translations(loaded.model.language))  # the pages' words in the course language
    course = resolve(loaded)
    site = Renderer(course, theme_dir).site()
    project = _project_config(config_file)
    folders: dict[View, Path] = {"participant": out, "trainer": out / TRAINER_SITE}
    for view, folder in folders.items():
        docs = folder / "docs"
        for page in site[view]:
            target = docs / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8")
        for path in sorted(course.media(view)):
            source = content / path
            if source.is_file():
                (docs / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, docs / path)
        shutil.copytree(theme_dir / "overrides", folder / "overrides")
        if view == "participant":
            for path in TRAINER_ONLY_ASSETS:
                (folder / "overrides" / path).unlink(missing_ok=True)
        with (folder / "mkdocs.yml").open("w", encoding="utf-8") as f:
            f.write(f"# Exported course, {view} view: builds with `mkdocs build` and Material alone.\n")
            yaml.safe_dump(_config(course, view, project, nav(site[view])), f, sort_keys=False, allow_unicode=True)


def _config(course: ResolvedCourse, view: View, project: dict[str, Any], navigation: list[Any]) -> dict[str, Any]:
    theme = dict(project.get("theme") or {"name": "material"})
    theme["custom_dir"] = "overrides"
    language = course.language.split("-")[0].lower()
    import material

    if (Path(material.__path__[0]) / "templates" / "partials" / "languages" / f"{language}.html").exists():
        theme["language"] = language
    plugins = [p for p in project.get("plugins", ["search"]) if p != "course" and not (isinstance(p, dict) and "course" in p)]
    extensions = list(project.get("markdown_extensions") or [])
    names = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
    extensions += [{name: options} if options else name for name, options in REQUIRED_EXTENSIONS.items() if name not in names]
    title = html.escape(course.title, quote=False)
    stylesheets, scripts = assets(view)
    config: dict[str, Any] = {
        "site_name": title if view == "participant" else f"{title} · Trainer view",
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "theme": theme,
        "plugins": plugins,
        "markdown_extensions": extensions,
        "extra_css": stylesheets,
        "extra_javascript": scripts,
        "nav": navigation,
        "extra": {"course_language": course.language, **({"course_text": words} if (words := i18n.script_text(course.language)) else {})},
    }
    if course.license:
        config["copyright"] = inline_markdown(str(course.license))
    return config
