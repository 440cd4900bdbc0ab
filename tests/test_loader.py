"""Load stage: YAML into data and positions, refusing what authors never mean."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from builder.errors import ContentError
from builder.fields import Markdown
from builder.loader import MAX_DEPTH, LoadFailure, decode_source, load_file, load_text


def load(text: str):
    return load_text(text, Path("x.yml"), "x.yml")


def errors(text: str) -> list[str]:
    with pytest.raises(LoadFailure) as failure:
        load(text)
    return [str(e) for e in failure.value.errors]


def test_positions_of_keys_and_items() -> None:
    doc = load("title: T\nblocks:\n  - type: text\n    body: hi\n")
    assert doc.data == {"title": "T", "blocks": [{"type": "text", "body": "hi"}]}
    assert doc.positions[("title",)] == (1, 1)
    assert doc.positions[("blocks", 0)] == (3, 5)
    assert doc.positions[("blocks", 0, "body")] == (4, 5)
    assert doc.locate(("blocks", 0, "missing")) == (3, 5)


def test_yaml_11_surprises_stay_text() -> None:
    data = load("a: no\nb: yes\nc: on\nd: 3:30\ne: 2024-01-01\nf: true\ng: ~\n").data
    assert data == {"a": "no", "b": "yes", "c": "on", "d": "3:30", "e": "2024-01-01", "f": True, "g": None}


def test_keys_are_text_as_written() -> None:
    assert load("no: 1\n1: 2\n").data == {"no": 1, "1": 2}


def test_numbers_remember_how_they_were_written() -> None:
    data = load("a: 1.10\nb: 007\nc: 12\n").data
    assert data["a"] == 1.1 and data["a"].source == "1.10"
    assert data["b"].source == "007"
    assert data["c"] == 12 and isinstance(data["c"], int)


def test_duplicate_keys() -> None:
    assert errors("a: 1\nb: 2\na: 3\n") == ["x.yml:3:1: error: a: duplicate key `a` (first at line 1)"]


def test_anchors_aliases_and_tags() -> None:
    assert errors("a: &x 1\nb: *x\n") == [
        "x.yml:1:4: error: anchors (`&x`) are not allowed; write the content out",
        "x.yml:2:4: error: aliases (`*x`) are not allowed; write the content out",
    ]
    assert errors("a: !!binary aGk=\n") == ["x.yml:1:4: error: YAML tags (`!!binary`) are not allowed; write plain values"]


def test_tabs_in_indentation() -> None:
    assert errors("a:\n  b: 1\n \tc: 2\n") == ["x.yml:3:2: error: a tab in indentation; indent with spaces"]


def test_tab_inside_text_is_fine() -> None:
    assert load('a: "x\\ty"\nb: x\ty\n').data == {"a": "x\ty", "b": "x\ty"}


def test_deep_nesting() -> None:
    (message,) = errors("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
    assert message == f"x.yml:1:{MAX_DEPTH + 3}: error: nesting is deeper than {MAX_DEPTH} levels"


def test_complex_keys() -> None:
    assert errors("? [a]\n: 1\n") == ["x.yml:1:3: error: a key must be a plain name, not a list or mapping"]


def test_syntax_error_is_located() -> None:
    assert errors("a: 'unclosed\n") == ["x.yml:2:1: error: YAML syntax: found unexpected end of stream"]


def test_empty_file_is_none() -> None:
    assert load("# only a comment\n").data is None


def test_not_utf8_and_utf16(tmp_path: Path) -> None:
    path = tmp_path / "m.yml"
    path.write_bytes(b"title: ok\nbody: caf\xe9\n")
    with pytest.raises(LoadFailure) as failure:
        load_file(path, "m.yml")
    assert str(failure.value.errors[0]) == "m.yml:2:10: error: the file is not UTF-8 text (byte 0xE9); save it as UTF-8"
    path.write_bytes("title: ok\n".encode("utf-16"))
    with pytest.raises(LoadFailure) as failure:
        load_file(path, "m.yml")
    assert "UTF-16" in str(failure.value.errors[0])


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "m.yml"
    path.write_bytes(b"\xef\xbb\xbftitle: ok\n")
    assert load_file(path, "m.yml").data == {"title": "ok"}


def test_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yml"
    path.write_text("a: " + "x" * (1024 * 1024) + "\n")
    with pytest.raises(LoadFailure) as failure:
        load_file(path, "big.yml")
    assert (
        str(failure.value.errors[0]) == "big.yml:1:1: error: the file is 1025 KiB; a content file may be at most 1024 KiB (1 MiB)"
    )


def test_the_c_parser_does_the_work() -> None:
    import yaml

    from builder import loader

    assert loader._Parser is yaml.CSafeLoader


# Our limits hold whichever parser reads the file: libyaml's scanner (PyYAML 6.0.4 and later) has a depth limit of
# its own and looks ahead inside flow collections, so it fails before its events reach our check; the pure-Python
# parser has none. Both must give the builder's own located message.
PARSERS = pytest.mark.parametrize("parser", ["libyaml", "python"])


@pytest.fixture
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    import yaml

    import builder.loader

    monkeypatch.setattr(builder.loader, "_Parser", yaml.CSafeLoader if request.param == "libyaml" else yaml.SafeLoader)
    return str(request.param)


@PARSERS
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_flow_nesting_limit_is_ours_with_either_parser(parser: str, depth: int) -> None:
    text = "title: Deep\nx-deep: " + "[" * depth + "]" * depth + "\n"
    assert errors(text) == [f"x.yml:2:{8 + MAX_DEPTH}: error: nesting is deeper than {MAX_DEPTH} levels"]


@PARSERS
def test_block_nesting_limit_is_ours_with_either_parser(parser: str) -> None:
    text = "".join("  " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 2)) + "  " * (MAX_DEPTH + 2) + "end\n"
    assert errors(text) == [f"x.yml:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}: error: nesting is deeper than {MAX_DEPTH} levels"]


@PARSERS
def test_brackets_in_quotes_and_comments_are_not_nesting(parser: str) -> None:
    deep = "[" * 2000
    doc = load(f"a: ['{deep}', \"{deep}\"]  # {deep}\nb: |\n  {'[' * 10}\n")
    assert doc.data["a"] == [deep, deep]


@PARSERS
def test_a_syntax_error_in_shallow_flow_keeps_the_parsers_message(parser: str) -> None:
    [message] = errors("a: [[1, 2]\nb: 3\n")
    assert "YAML syntax" in message


def _best_time(check: Callable[[], object], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        check()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("hostile", ["<a " * 16384, "<a x" * 12288, "<img src=x" * 4915, '<a b="' * 8192, "<a '\"" * 12288, "{: x" * 12288])
def test_a_48_kb_hostile_field_checks_as_fast_as_a_plain_one(hostile: str) -> None:
    """The Markdown checks are linear: tags that never close (quadratic for a search from every `<`) cost what as
    many closed tags do. Measured as a ratio on the same machine, not against a clock."""
    size = 48 * 1024
    hostile, plain = hostile[:size], ("<b>bold</b> " * size)[:size]
    markdown = TypeAdapter(Markdown)
    ratio = _best_time(lambda: markdown.validate_python(hostile)) / _best_time(lambda: markdown.validate_python(plain))
    assert ratio < 5, f"a hostile field took {ratio:.0f} times as long as a plain one"


def test_a_handler_in_an_unclosed_tag_is_still_found() -> None:
    with pytest.raises(ValidationError, match="inline event handlers"):
        TypeAdapter(Markdown).validate_python("<a <a <img src=x onerror=alert(1)")


@pytest.mark.parametrize(
    "spelling",
    [
        '<img src="x"onerror="alert(1)">',  # glued to the quote before it
        "<img/src=x/onerror=alert(1)>",
        '<img alt=">" src=x onerror="alert(1)">',  # a `>` inside a quoted value does not end the tag
        'A paragraph.\n{: onclick="alert(1)" }',  # attr_list writes it onto the paragraph
        "[link](https://example.org){ onmouseover=alert(1) }",
        "[click](java&Tab;script:alert(1))",  # browsers drop tabs and line breaks inside an address
        "[click](java&#x09;script:alert(1))",
        "[click](javascript&colon;alert(1))",
    ],
)
def test_every_spelling_of_a_script_is_refused(spelling: str) -> None:
    with pytest.raises(ValidationError, match="inline event handlers|`javascript:` URLs"):
        TypeAdapter(Markdown).validate_python(spelling)


def test_prose_like_the_spellings_is_accepted() -> None:
    prose = (
        "Meet at 10:00, online or on site.\n{: .lead }\n\nSee [notes](https://example.org/a:b){ .external } and"
        ' <abbr title="home visiting">HV</abbr>; a "one=two" in quotes, Java scripts, and <b>don\'t</b> worry.'
    )
    assert TypeAdapter(Markdown).validate_python(prose) == prose


def test_nul_and_control_characters_are_located(tmp_path: Path) -> None:
    assert errors("title: ok\nsummary: ab\x00c\n") == [
        "x.yml:2:12: error: a control character (U+0000) is not allowed in a content file; remove it"
    ]
    assert errors("title: é\nsummary: ok\n  \x1b[31m\n") == [
        "x.yml:3:3: error: a control character (U+001B) is not allowed in a content file; remove it"
    ]


def test_utf16_without_a_byte_order_mark(tmp_path: Path) -> None:
    with pytest.raises(LoadFailure) as failure:
        decode_source("title: Hello\n".encode("utf-16-le"), "m.yml")
    assert str(failure.value.errors[0]) == "m.yml:1:1: error: the file is UTF-16, not UTF-8; save it as UTF-8"


def test_control_characters_from_content_are_escaped_in_messages() -> None:
    error = ContentError("m.yml", 1, 1, "blocks[0].cite[0]", "unknown reference key `\x1b[2J\x1b[31mred\r\u202eevil`")
    assert str(error) == "m.yml:1:1: error: blocks[0].cite[0]: unknown reference key `\\x1b[2J\\x1b[31mred\\x0d\\u202eevil`"
