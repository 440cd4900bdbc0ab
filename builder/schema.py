"""JSON Schemas (draft-07) of course, module and session files, for editor completion and the author's reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .model import Course, Module
from .sessions import Session

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMAS: dict[str, type[BaseModel]] = {"course": Course, "module": Module, "session": Session}


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/definitions/{model}")
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    return {"$schema": DRAFT_07, **schema}


def render_schema(name: str) -> str:
    return json.dumps(schema_for(SCHEMAS[name]), indent=2, ensure_ascii=False) + "\n"


def write_schemas(out: Path, check: bool = False) -> list[Path]:
    """Write ``<name>.schema.json`` files; with ``check``, write nothing and return the stale ones."""
    stale = []
    for name in SCHEMAS:
        path = out / f"{name}.schema.json"
        text = render_schema(name)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not check:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return stale
