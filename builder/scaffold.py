"""``course new module`` and ``course new session``: a new file, ready to edit, that builds as it is."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .fields import slugify
from .validate import MODULE_FILE, RESERVED_IDS

TEMPLATE = """# yaml-language-server: $schema=../../schema/module.schema.json
title: {title}
summary: One or two sentences on what this module is about.
trainer_intentions:
  - What you intend participants to take from this module.
key_points:
  - The first thing to remember.
blocks:
  - type: text
    title: Introduction
    body: |
      Write the module here, in Markdown.
  - type: think_and_share
    duration: 10
    grouping: pairs
    prompt: |
      A question for participants to think about, then share.
    facilitator_notes: |
      How to run this activity, what to listen for, how to close it.
"""


def _quote(title: str) -> str:
    return '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_module(content: Path, title: str) -> tuple[Path, bool]:
    """Create ``modules/NN-slug.yml`` after the last module; add the id to ``modules:`` when course.yml has that list."""
    module_id = slugify(title)
    if not module_id:
        raise ValueError(f"cannot make a module id from {title!r}; use a title with letters or digits")
    if module_id in RESERVED_IDS:
        raise ValueError(f"`{module_id}` is a page of the site itself; choose another title")
    modules = content / "modules"
    modules.mkdir(parents=True, exist_ok=True)
    numbers, ids = [0], set()
    for path in modules.glob("*.yml"):
        match = MODULE_FILE.match(path.name)
        if match:
            ids.add(match.group(2))
            if match.group(1):
                numbers.append(int(match.group(1)))
    if module_id in ids:
        raise ValueError(f"a module with the id `{module_id}` exists already")
    path = modules / f"{max(numbers) + 1:02d}-{module_id}.yml"
    path.write_text(TEMPLATE.format(title=_quote(title)), encoding="utf-8")
    return path, _add_to_course(content / "course.yml", module_id)


def _add_to_course(course_file: Path, module_id: str) -> bool:
    """Append the id to a block-style ``modules:`` list, keeping the rest of the file as written."""
    if not course_file.is_file():
        return False
    lines = course_file.read_text(encoding="utf-8").split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(r"^modules:\s*(#.*)?$", line)), None)
    if start is None:
        flow = next((i for i, line in enumerate(lines) if re.match(r"^modules:\s*\[.*\]\s*$", line)), None)
        if flow is None:
            return False
        inner = lines[flow].split("[", 1)[1].rsplit("]", 1)[0].strip()
        lines[flow] = f"modules: [{inner + ', ' if inner else ''}{module_id}]"
        course_file.write_text("\n".join(lines), encoding="utf-8")
        return True
    end, indent = start + 1, "  "
    while end < len(lines) and (re.match(r"^\s+- ", lines[end]) or (lines[end].strip().startswith("#") and lines[end][:1] == " ")):
        indent = lines[end][: len(lines[end]) - len(lines[end].lstrip())] or indent
        end += 1
    lines.insert(end, f"{indent}- {module_id}")
    course_file.write_text("\n".join(lines), encoding="utf-8")
    return True


SESSION_TEMPLATE = """# yaml-language-server: $schema=../../schema/session.schema.json
title: {title}
cohort: Who this delivery is for
notes: |
  For you, the trainer: what to prepare, what to remember on the day.
publish: true  # false: participants get no schedule page
days:
  - date: {date}
    start: "09:00"
    # end: "16:30"  # when the day must end; the plan must fit
    plan:
{plan}"""


def _module_ids(content: Path) -> list[str]:
    """The course's module ids in file-name order (a listed order is checked against them anyway)."""
    found = (MODULE_FILE.match(path.name) for path in sorted((content / "modules").glob("*.yml")))
    return [match.group(2) for match in found if match]


def new_session(content: Path, title: str, today: date | None = None) -> Path:
    """Create ``sessions/<slug>.yml``: one day from 09:00 through every module, a break halfway."""
    session_id = slugify(title)
    if not session_id:
        raise ValueError(f"cannot make a session id from {title!r}; use a title with letters or digits")
    path = content / "sessions" / f"{session_id}.yml"
    if path.exists():
        raise ValueError(f"a session with the id `{session_id}` exists already ({path})")
    modules = _module_ids(content)
    if not modules:
        raise ValueError("the course has no modules yet; add one with `course new module`")
    lines = [f"      - module: {module_id}" for module_id in modules]
    lines.insert((len(lines) + 1) // 2, "      - break: 15")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = SESSION_TEMPLATE.format(title=_quote(title), date=(today or date.today()).isoformat(), plan="\n".join(lines) + "\n")
    path.write_text(text, encoding="utf-8")
    return path
