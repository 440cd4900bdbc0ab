"""Markdown adapter: write the generated pages of each view as a site of its own that any engine can build.

``OUT/`` is the participant view: ``docs/`` (its pages and the media they use), ``overrides/`` (the
theme overrides and assets) and ``mkdocs.yml``, which builds it with stock MkDocs and Material, without
the ``course`` plugin. ``OUT/trainer-site/`` is the trainer view, laid out the same way. Each has its own
search, so the participant site's index holds no trainer text; as with ``course build``, the trainer
view's links back to the participant view expect it served at ``trainer/`` below the participant site.

The export is a contract: everything the plugin adds at build time (navigation, page metadata in front
matter, language, extensions, assets, theme features, ``extra`` values) is written down here, and the
overrides' words are put in the course's language here, so that an engine that knows nothing of the
plugin nor of Jinja's i18n extension (ProperDocs, Zensical) builds the same site (see ``engines.py``).

That includes the sanitizer: each site carries ``course_sanitize.py``, a copy of ``sanitize.py``, and names it as
the last Markdown extension, so every engine passes every page through the same allowlist as the plugin. It is
imported from the site's folder, so the engines run there as ``python -m ENGINE build``; where it cannot be
imported (nh3 missing, or the engine started another way), the build stops instead of publishing unsafe pages.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from . import i18n, messages, sanitize, translations
from .render import THEME_DIR, TRAINER_PREFIX, Page, Renderer, nav, url_of
from .resolve import ResolvedCourse, View, resolve
from .site import REQUIRED_EXTENSIONS, TRAINER_ONLY_ASSETS, assets, inline_markdown, site_name
from .validate import CourseLoader

TRAINER_SITE = "trainer-site"  # the trainer view's folder in the export
# Where the exported sites build to, and the cache Zensical keeps beside its config: not the export's own files.
# (each view's, and each translation's views': `site/`, `trainer-site/site/`, `fr/site/`, `fr/trainer-site/.cache/`...).
BUILT = re.compile(rf"^(?:[A-Za-z]{{2,3}}(?:-[A-Za-z0-9]+)*/)?(?:{TRAINER_SITE}/)?(?:site|\.cache)/")
PRUNE = "navigation.prune"  # as the plugin adds it: Material draws only the open section of a long navigation
EXPANDED = "navigation.expand"  # ... unless the project asks for the whole navigation on every page
TRAINER_SITE_DIR = "course_trainer_site_dir"  # a setting of `course build`, not of the site
SANITIZER = "course_sanitize"  # the sanitizer's module in an exported site, and its Markdown extension


def _project_config(config_file: str) -> dict[str, Any]:
    path = Path(config_file)
    if not path.is_file():
        return {}
    from mkdocs.utils.yaml import yaml_load

    with path.open(encoding="utf-8") as f:
        return yaml_load(f) or {}


def export_markdown(content: Path, out: Path, config_file: str = "mkdocs.yml", theme_dir: Path = THEME_DIR) -> list[str]:
    """Write both views below ``out``, which must not exist or be empty (the command writes a new folder, then swaps).

    Each translation of the course (``content/translations/<lang>/``) is exported the same way below
    ``out/<lang>/``, as the plugin builds it below ``<lang>/``; every page's front matter lists the same page in
    each language (``course_alternate``), which the theme's language selector reads where no plugin sets it.
    Returns the translations' languages, in the order of their folders."""
    loaded = CourseLoader().load(content)
    messages.use(i18n.translations(loaded.model.language))  # the pages' words in the course language
    course = resolve(loaded)
    found = translations.languages(content)
    given = translations.load_all(loaded, course) if found else {}
    project = _project_config(config_file)
    _export_sites(course, content, out, project, theme_dir, found, None, loaded.model.language)
    for language in found:
        with messages.using(i18n.translations(language)):
            translated = translations.translated_course(loaded, course, given[language])
            _export_sites(translated, content, out / language, project, theme_dir, found, language, loaded.model.language)
    return found


def _export_sites(
    course: ResolvedCourse,
    content: Path,
    out: Path,
    project: dict[str, Any],
    theme_dir: Path,
    found: list[str],
    language: str | None,
    source_language: str,
) -> None:
    rendered = Renderer(course, theme_dir).site()
    site = {view: _in_folders(pages, {page.path for page in pages} | set(course.media(view))) for view, pages in rendered.items()}
    if language is not None and project.get("site_url"):
        project = {**project, "site_url": str(project["site_url"]).rstrip("/") + f"/{language}/"}
    folders: dict[View, Path] = {"participant": out, "trainer": out / TRAINER_SITE}
    for view, folder in folders.items():
        docs = folder / "docs"
        alternates = translations.alternates(source_language, found, language, view) if found else []
        for page in site[view]:
            target = docs / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_with_alternates(page.markdown, page.path, alternates, _site_url(project, view)), encoding="utf-8")
        for path in sorted(course.media(view)):
            source = content / path
            if source.is_file():
                (docs / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, docs / path)
        shutil.copytree(theme_dir / "overrides", folder / "overrides")
        for template in (folder / "overrides").rglob("*.html"):
            template.write_text(translated(template.read_text(encoding="utf-8"), template.name), encoding="utf-8")
        if view == "participant":
            for path in TRAINER_ONLY_ASSETS:
                (folder / "overrides" / path).unlink(missing_ok=True)
        shutil.copyfile(Path(sanitize.__file__), folder / f"{SANITIZER}.py")
        config = _config(course, view, project, nav(site[view]))
        if alternates:
            config["extra"]["alternate"] = alternates  # the selector's languages, each at its site's root
        with (folder / "mkdocs.yml").open("w", encoding="utf-8") as f:
            f.write(HEADER.format(view=view, sanitizer=SANITIZER))
            yaml.safe_dump(config, f, sort_keys=False, allow_unicode=True)


def _folder_path(path: str) -> str:
    """Where a page's Markdown goes in the export: where its URL is (``barriers.md`` -> ``barriers/index.md``)."""
    return url_of(path) + "index.md" if path.endswith(".md") else path


# A relative target of a Markdown link or image (`](target`), or of a reference definition (`[key]: target`).
_MD_TARGET = re.compile(r"(\]\(|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*)(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#|<)([^\s)]+)", re.M)


def _in_folders(pages: list[Page], files: set[str]) -> list[Page]:
    """The pages with their Markdown each in a folder of its own, their Markdown links and images written from there.

    Each page's Markdown file then sits where its URL is (``barriers/index.md`` for ``barriers/``), so an address
    relative to the file and one relative to the page's URL are the same: MkDocs reads those in a page's HTML as
    relative to the URL, Zensical as relative to the file, and both build the export alike. The HTML the templates
    write is relative to the URL already. A Markdown link or image that leads to one of ``files`` (a page, a
    picture) is relative to the Markdown file, and is written anew from the new place; any other relative
    address was relative to the page's URL (MkDocs leaves it as it is), and still is."""

    def moved(match: re.Match[str], old: str, new: str) -> str:
        address, hash_, fragment = match.group(2).partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(old), address)) if address else ""
        if target not in files:
            return match.group(0)
        return match.group(1) + posixpath.relpath(_folder_path(target), posixpath.dirname(new) or ".") + hash_ + fragment

    placed = []
    for page in pages:
        path = _folder_path(page.path)
        markdown = _MD_TARGET.sub(functools.partial(moved, old=page.path, new=path), page.markdown)
        placed.append(replace(page, path=path, markdown=markdown))
    return placed


def _site_url(project: dict[str, Any], view: View) -> str | None:
    """The view's address, from the project's ``site_url`` (the trainer view's below ``trainer/``)."""
    if not project.get("site_url"):
        return None
    site_url = str(project["site_url"]).rstrip("/") + "/"
    return site_url if view == "participant" else site_url + TRAINER_PREFIX


def _with_alternates(markdown: str, path: str, alternates: list[dict[str, Any]], site_url: str | None) -> str:
    """The page's Markdown with the same page in each language in its front matter (``course_alternate``)."""
    if not alternates or not markdown.startswith("---\n"):
        return markdown
    here = url_of(path)
    pages = [translations.alternate_of(alt, here, site_url) for alt in alternates]
    return "---\ncourse_alternate: " + json.dumps(pages, ensure_ascii=False) + "\n" + markdown[len("---\n") :]


HEADER = """\
# Exported course, {view} view. Build it from this folder with Material and nh3 installed, with one of
#   python -m mkdocs build | python -m properdocs build | python -m zensical build
# ({sanitizer}.py, the course's HTML sanitizer, is imported from here: every page passes it).
"""


def _config(course: ResolvedCourse, view: View, project: dict[str, Any], navigation: list[Any]) -> dict[str, Any]:
    theme = dict(project.get("theme") or {"name": "material"})
    theme["custom_dir"] = "overrides"
    theme.setdefault("variant", "classic")  # Zensical's look of Material; other engines pass it to the theme unread
    features = theme.get("features")
    if isinstance(features, list) and PRUNE not in features and EXPANDED not in features:
        theme["features"] = [*features, PRUNE]
    language = course.language.split("-")[0].lower()
    import material

    if (Path(material.__path__[0]) / "templates" / "partials" / "languages" / f"{language}.html").exists():
        theme["language"] = language
    plugins = [p for p in project.get("plugins", ["search"]) if p != "course" and not (isinstance(p, dict) and "course" in p)]
    extensions = list(project.get("markdown_extensions") or [])
    names = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
    extensions += [{name: options} if options else name for name, options in REQUIRED_EXTENSIONS.items() if name not in names]
    extensions.append(SANITIZER)  # last, as on_page_content is in the plugin
    stylesheets, scripts = assets(view)
    config: dict[str, Any] = {
        "site_name": html.escape(site_name(course, view)),
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "theme": theme,
        "plugins": plugins,
        "markdown_extensions": extensions,
        "extra_css": stylesheets,
        "extra_javascript": scripts,
        "nav": navigation,
    }
    if project.get("site_url"):
        config["site_url"] = _site_url(project, view)
    if course.license:
        config["copyright"] = sanitize.sanitize(inline_markdown(str(course.license)))
    extra = {key: value for key, value in (project.get("extra") or {}).items() if key != TRAINER_SITE_DIR}
    # The page language and the scripts' words in it, as the plugin sets them (mkdocs.yml's own words win).
    words = {**i18n.script_text(course.language), **(extra.get("course_text") or {})}
    config["extra"] = {**extra, "course_language": course.language, **({"course_text": words} if words else {}), "course_view": view}
    return config


# The i18n markup of the theme's overrides: `{% trans %}words{% endtrans %}` and `{{ _("words") }}`.
_TRANS_BLOCK = re.compile(r"\{%-?\s*trans\s*-?%\}(.*?)\{%-?\s*endtrans\s*-?%\}", re.S)
_TRANS_CALL = re.compile(r"""\{\{-?\s*_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)\s*-?\}\}""")
_ANY_I18N = re.compile(r"\{%-?\s*(?:trans|pluralize)\b|\b_\(|\bgettext\(|\bngettext\(")


def translated(template: str, name: str) -> str:
    """``template`` with its words put in the course's language (the current catalogue of :mod:`messages`), as
    plain text: the overrides then need no i18n extension, which not every engine's template language has."""
    template = _TRANS_BLOCK.sub(lambda m: messages.gettext(m.group(1)), template)
    template = _TRANS_CALL.sub(lambda m: messages.gettext(m.group(1) if m.group(1) is not None else m.group(2)), template)
    code = re.sub(r"\{#.*?#\}", "", template, flags=re.S)  # comments may speak of _() freely
    if _ANY_I18N.search(code):
        raise ValueError(f"theme/overrides/{name}: the export puts only plain {{% trans %}} blocks and _(\"...\") calls in the course's language")
    return template
