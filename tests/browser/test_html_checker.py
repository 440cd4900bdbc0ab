"""Every page of both views of the default course through the Nu HTML Checker (vnu.jar, installed by `make vnu`
from package-lock.json; run with Java 17+): no error of our own.

Material's own markup has a few errors the checker reports on every site it builds; they are listed here, each
with why it is accepted, and matched narrowly (message and the markup it is found in), so that the same error in
our own markup still fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from browser_support import ROOT, Site

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (message, a piece of the markup it is reported in): Material's, not ours.
MATERIAL_KNOWN = (
    # Material's drawer and search toggles are checkboxes with autocomplete="off", so that the browser does not
    # restore a toggled state on back/forward navigation; the attribute is valid only on text-like inputs.
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"'),
    # Material's labels point at its own toggles (`__toc`, `__drawer`, `__search`, the palette's `__palette_N`),
    # which are hidden inputs, or absent where the page has no table of contents.
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.", 'for="__'),
)


def java() -> str:
    found = shutil.which("java")
    if found is None:
        pytest.fail("The HTML check needs Java 17 or later (`java` on the PATH).", pytrace=False)
    return found


def test_every_page_of_both_views_is_valid_html(site: Site) -> None:
    if not VNU.is_file():
        pytest.fail(f"The Nu HTML Checker is missing at {VNU}; `make vnu` installs it (npm ci).", pytrace=False)
    pages = sorted(str(path) for path in site.root.rglob("*.html"))
    assert any("/trainer/" in page for page in pages) and len(pages) > 30
    result = subprocess.run(
        [java(), "-jar", str(VNU), "--format", "json", "--errors-only", *pages], capture_output=True, text=True, timeout=600
    )
    messages = json.loads(result.stderr)["messages"]
    ours = [
        f"{m['url'].split(site.root.name, 1)[-1]}: {m['message']} in {m.get('extract', '').strip()[:120]!r}"
        for m in messages
        if m["type"] != "info"
        and not any(m["message"].startswith(message) and piece in m.get("extract", "") for message, piece in MATERIAL_KNOWN)
    ]
    assert not ours, "\n".join(ours)
    assert result.returncode == (1 if messages else 0)
