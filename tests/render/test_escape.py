"""The escaping routines of :mod:`logitstats.render.escape`, one per output format.

Markdown escapes are checked by rendering them with a CommonMark implementation
(markdown-it-py, the ``test`` extra): the rendered text must equal the input, shown literally.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pytest

from logitstats.render.escape import (
    escape_html,
    escape_json,
    escape_latex,
    escape_markdown,
    escape_text,
    markdown_code,
)
from tests.report_cases import latex_unescape

#: Strings holding the specials of every format, and terminal control sequences.
HOSTILE = [
    "plain_name",
    "a`b",
    "``x``",
    "`",
    "a ``` b `",
    " `lead",
    "trail` ",
    " spaced ",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "$x^2$ and $\\frac{1}{2}$",
    "100% & 50_50 {a} \\b # ~ ^ | [l](u) *e* !",
    "&amp; &lt;b&gt;",
    "osc52 \x1b]52;c;aGVsbG8=\x07 done",
    "csi \x1b[2J\x1b[H clear",
    "cr\roverwrite",
    "bs\x08\x08 bell\x07 del\x7f c1\x9b nul\x00",
    "bidi \u202eevil\u202c \u2066iso\u2069 \u200f",
    "line\u2028sep",
    "tab\tnew\nline",
]

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# --------------------------------------------------------------------------- terminal text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07"),
        ("a\rb\tc\nd", "a\\rb\\tc\\nd"),
        ("\x00\x08\x7f\x85\x9b", "\\x00\\x08\\x7f\\x85\\x9b"),
        ("x\u202ey\u2066z\u200e\u061c\u2028", "x\\u202ey\\u2066z\\u200e\\u061c\\u2028"),
        ("\ud800\ufffe", "\\ud800\\ufffe"),
        ('C(race, Treatment("white"))[T.black]', 'C(race, Treatment("white"))[T.black]'),
        ("Cox–Snell R² é 中 \\x", "Cox–Snell R² é 中 \\x"),
    ],
)
def test_escape_text_shows_controls_and_keeps_ordinary_text(raw, shown):
    assert escape_text(raw) == shown


@pytest.mark.parametrize("raw", HOSTILE)
def test_escape_text_output_is_safe_and_idempotent(raw):
    out = escape_text(raw)
    assert not UNSAFE.search(out)
    assert escape_text(out) == out


# --------------------------------------------------------------------------- Markdown

markdown_it = pytest.importorskip("markdown_it")


def _render(md: str) -> str:
    return markdown_it.MarkdownIt("commonmark").enable("table").render(md)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _parse(rendered: str) -> _Tags:
    p = _Tags()
    p.feed(rendered)
    p.close()
    return p


@pytest.mark.parametrize("raw", HOSTILE)
def test_markdown_code_renders_as_one_literal_code_span(raw):
    rendered = _render(markdown_code(raw))
    # CommonMark: the span's content, HTML-escaped, in one <code> element.
    assert rendered == f"<p><code>{html.escape(escape_text(raw), quote=False)}</code></p>\n"


@pytest.mark.parametrize(
    ("raw", "span"),
    [
        ("y ~ x", "`y ~ x`"),
        ("a`b", "``a`b``"),
        ("a``b", "```a``b```"),
        ("`x", "`` `x ``"),
        ("x`", "`` x` ``"),
        (" x ", "`  x  `"),
        ("   ", "`   `"),
    ],
)
def test_markdown_code_fence_and_padding(raw, span):
    assert markdown_code(raw) == span


def test_markdown_code_in_a_table_cell_escapes_the_pipe():
    cell = markdown_code("a|`b`|c", table=True)
    rendered = _render(f"| h |\n| --- |\n| {cell} |\n")
    assert "<td><code>a|`b`|c</code></td>" in rendered


@pytest.mark.parametrize("raw", HOSTILE)
def test_escape_markdown_renders_literally_without_html(raw):
    rendered = _render(escape_markdown(raw))
    p = _parse(rendered)
    if escape_text(raw).strip():
        assert p.tags == ["p"]  # no tag, link, emphasis or code from the text
    assert "".join(p.text).strip() == escape_text(raw).strip()


@pytest.mark.parametrize("raw", HOSTILE)
def test_escape_markdown_in_a_table_cell_stays_one_cell(raw):
    rendered = _render(f"| h | k |\n| --- | --- |\n| {escape_markdown(raw)} | z |\n")
    p = _parse(rendered)
    assert p.tags.count("td") == 2
    assert set(p.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}


# --------------------------------------------------------------------------- HTML, LaTeX, JSON


@pytest.mark.parametrize("raw", HOSTILE)
def test_escape_html_round_trips_through_an_html_parser(raw):
    p = _parse(f"<p>{escape_html(raw)}</p>")
    assert p.tags == ["p"] and "".join(p.text) == escape_text(raw)
    assert not UNSAFE.search(escape_html(raw))


@pytest.mark.parametrize("raw", HOSTILE)
def test_escape_latex_leaves_no_active_special(raw):
    out = escape_latex(raw)
    assert latex_unescape(out) == escape_text(raw)
    assert not UNSAFE.search(out)
    bare = re.sub(
        r"\\(textbackslash|textasciitilde|textasciicircum|textless|textgreater|textbar)\{\}"
        r"|\\[&%$#_{}]|\{[\[\]*]\}",
        "",
        out,
    )
    assert not re.search(r"[\\&%$#_^~{}<>|]", bare), out


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize("indent", [None, 2])
def test_escape_json_is_valid_and_round_trips_exactly(ensure_ascii, indent):
    doc = {name: [name] for name in HOSTILE}
    out = escape_json(json.dumps(doc, ensure_ascii=ensure_ascii, indent=indent))
    assert not UNSAFE.search(out.replace("\n", ""))
    assert json.loads(out) == doc
