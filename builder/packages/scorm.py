"""SCORM adapter: the built participant view as a SCORM 1.2 or 2004 (4th edition) package for an LMS.

The package is one SCO. Its launch page, ``scorm.html``, finds the LMS's API, holds the connection for
the whole visit and shows the course's pages in a frame below it (``lms.js``): a SCO may initialise
and terminate once, and the participant moves between many pages. ``imsmanifest.xml`` lists every file
of the package, with the course's title and description. ``per_module`` writes one package per module:
the same pages, launched at the module and complete when that module is done.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from ..resolve import ResolvedCourse
from . import CORE_JS, LMS_JS, BuiltView, build_view, script_json, slug_name, write_zip

Version = Literal["1.2", "2004"]
LAUNCH = "scorm.html"
MANIFEST = "imsmanifest.xml"
# What suspend_data may hold (characters): SCORM 1.2's CMIString4096, SCORM 2004's 64,000.
SUSPEND_LIMIT: dict[str, int] = {"1.2": 4096, "2004": 64000}
SUFFIX: dict[str, str] = {"1.2": "scorm12", "2004": "scorm2004"}


@dataclass(frozen=True)
class Check:
    """One knowledge-check question, where its answer is stored: ``course-checks/<course>/<module>/<block>/<question>``."""

    module: str
    block: str
    question: int


@dataclass
class Scoring:
    """The questions a package scores, and the share of them (0 to 1) a participant must get right to pass."""

    checks: list[Check] = field(default_factory=list)
    pass_mark: float = 0.8


def scoring_of(course: ResolvedCourse) -> Scoring:
    """The course's knowledge checks (blocks of type ``knowledge_check``, one entry per question) and its pass mark
    (``pass_mark``, a share or a percentage); none for a course without checks."""
    checks = [
        Check(module.id, block.anchor, number)
        for module in course.modules
        for block in module.blocks_for("participant")
        if block.type == "knowledge_check"
        for number in range(1, len(block.fields.get("questions") or []) + 1)
    ]
    mark = float(getattr(course, "pass_mark", None) or 0.8)
    return Scoring(checks, mark / 100 if mark > 1 else mark)


def package_scorm(
    content: Path,
    dist: Path,
    config_file: str = "mkdocs.yml",
    version: Version = "1.2",
    per_module: bool = False,
    scoring: Scoring | None = None,
) -> list[Path]:
    """Write the SCORM package of the course in ``content`` (or one per module) into ``dist``; returns the zips."""
    with tempfile.TemporaryDirectory(prefix="course-scorm-") as temp:
        built = build_view(config_file, content, "participant", Path(temp) / "site", scripts=[LMS_JS])
        course = built.course
        scoring = scoring if scoring is not None else scoring_of(course)
        if not per_module:
            modules = [m.id for m in course.modules]
            return [_write(built, version, dist / slug_name(course, SUFFIX[version]), course.title, modules, "index.html", scoring)]
        written = []
        for number, module in enumerate(course.modules, 1):
            name = slug_name(course, f"{number:02d}-{module.id}-{SUFFIX[version]}")
            checks = Scoring([c for c in scoring.checks if c.module == module.id], scoring.pass_mark)
            title = f"{course.title}: {module.title}"
            written.append(_write(built, version, dist / name, title, [module.id], f"{module.id}/index.html", checks))
        return written


def _write(built: BuiltView, version: Version, target: Path, title: str, modules: list[str], start: str, scoring: Scoring) -> Path:
    course = built.course
    settings = {
        "version": version,
        "course": course.slug,
        "modules": modules,
        "start": start,
        "checks": [[c.module, c.block, c.question] for c in scoring.checks],
        "passMark": scoring.pass_mark,
        "limit": SUSPEND_LIMIT[version],
    }
    launch = launch_page(title, course.language, settings, built.text)
    files = [*built.files(), LAUNCH]
    description = course.description.striptags() if course.description else ""
    manifest = manifest_xml(version, course.slug + ("" if len(modules) > 1 else f"-{modules[0]}"), title, description,
                            course.language, files, scoring)
    return write_zip(built.root, target, built.files(), {LAUNCH: launch.encode("utf-8"), MANIFEST: manifest.encode("utf-8")})


def launch_page(title: str, language: str, settings: dict[str, object], text: dict[str, object] | None = None) -> str:
    """The SCO's launch page: a status line, and the frame the course's pages open in (``lms.js`` does the rest,
    with the words of core.js's table, which ``text`` overrides as on every page)."""
    data = script_json(settings)
    words = f'<script type="application/json" id="course-text">{script_json(text)}</script>\n' if text else ""
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>html, body { height: 100%; margin: 0 } body { display: flex; flex-direction: column }"
        " .course-lms__status { margin: 0; padding: .5em 1em; background: #fff3cd; font: 16px/1.4 sans-serif }"
        " .course-lms__frame { flex: 1; width: 100%; border: 0 }</style>\n"
        "</head>\n<body class=\"course-lms\">\n"
        f'<script type="application/json" id="course-lms-settings">{data}</script>\n{words}'
        '<p class="course-lms__status" role="status" hidden></p>\n'
        f'<iframe class="course-lms__frame" id="course-lms-frame" title="{html.escape(title)}"></iframe>\n'
        f'<script src="{CORE_JS}"></script>\n<script src="{LMS_JS}"></script>\n'
        "</body>\n</html>\n"
    )


def _href(path: str) -> str:
    return quote(path, safe="/-._~")


def manifest_xml(
    version: Version, identifier: str, title: str, description: str, language: str, files: Sequence[str], scoring: Scoring
) -> str:
    """``imsmanifest.xml``: one organisation with one item, the SCO launched at ``scorm.html``, listing ``files``."""
    ident = "course-" + "".join(ch if ch.isalnum() or ch in "-._" else "-" for ch in identifier)
    t, d, lang = escape(title), escape(description), quoteattr(language)
    listing = "".join(f"      <file href={quoteattr(_href(f))}/>\n" for f in sorted(files))
    if version == "1.2":
        mastery = f"        <adlcp:masteryscore>{round(scoring.pass_mark * 100)}</adlcp:masteryscore>\n" if scoring.checks else ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<manifest identifier="{ident}" version="1"\n'
            '  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"\n'
            '  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"\n'
            '  xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"\n'
            '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
            '  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd'
            " http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd"
            ' http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">\n'
            "  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n"
            "    <imsmd:lom>\n      <imsmd:general>\n"
            f"        <imsmd:title><imsmd:langstring xml:lang={lang}>{t}</imsmd:langstring></imsmd:title>\n"
            f"        <imsmd:description><imsmd:langstring xml:lang={lang}>{d}</imsmd:langstring></imsmd:description>\n"
            "      </imsmd:general>\n    </imsmd:lom>\n  </metadata>\n"
            '  <organizations default="organization">\n    <organization identifier="organization">\n'
            f"      <title>{t}</title>\n"
            '      <item identifier="item" identifierref="sco" isvisible="true">\n'
            f"        <title>{t}</title>\n{mastery}"
            "      </item>\n    </organization>\n  </organizations>\n"
            f'  <resources>\n    <resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="{LAUNCH}">\n'
            f"{listing}    </resource>\n  </resources>\n</manifest>\n"
        )
    sequencing = (
        "        <imsss:sequencing>\n          <imsss:objectives>\n"
        '            <imsss:primaryObjective objectiveID="pass-mark" satisfiedByMeasure="true">\n'
        f"              <imsss:minNormalizedMeasure>{scoring.pass_mark:g}</imsss:minNormalizedMeasure>\n"
        "            </imsss:primaryObjective>\n          </imsss:objectives>\n        </imsss:sequencing>\n"
        if scoring.checks
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest identifier="{ident}" version="1"\n'
        '  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"\n'
        '  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"\n'
        '  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"\n'
        '  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"\n'
        '  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"\n'
        '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
        '  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd'
        " http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd"
        " http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd"
        " http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd"
        ' http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">\n'
        "  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>2004 4th Edition</schemaversion>\n"
        '    <lom xmlns="http://ltsc.ieee.org/xsd/LOM">\n      <general>\n'
        f"        <title><string language={lang}>{t}</string></title>\n"
        f"        <description><string language={lang}>{d}</string></description>\n"
        "      </general>\n    </lom>\n  </metadata>\n"
        '  <organizations default="organization">\n    <organization identifier="organization">\n'
        f"      <title>{t}</title>\n"
        '      <item identifier="item" identifierref="sco">\n'
        f"        <title>{t}</title>\n{sequencing}"
        "      </item>\n    </organization>\n  </organizations>\n"
        f'  <resources>\n    <resource identifier="sco" type="webcontent" adlcp:scormType="sco" href="{LAUNCH}">\n'
        f"{listing}    </resource>\n  </resources>\n</manifest>\n"
    )
