r"""The one escaping routine of each output format, shared by summaries, reports and comparisons.

User-provided strings (column names, factor levels, the outcome, the data name, titles,
formulas) reach every renderer; each format escapes them with exactly one function here:

- :func:`escape_text`: text, terminal and docx output. Control characters (C0, DEL, C1),
  Unicode line/paragraph separators, bidirectional overrides and isolates, lone surrogates and
  the noncharacters U+FFFE/U+FFFF are shown as Python-style escapes (``\x1b``, ``\u202e``), so
  a name can neither drive the terminal (clear the screen, write the clipboard with OSC 52),
  overwrite a line with ``\r``, reorder what is displayed, nor break an XML document.
- :func:`escape_markdown` (Markdown text, table cells included) and :func:`markdown_code`
  (a CommonMark code span): rendered Markdown cannot carry raw HTML, links, emphasis, math or
  extra table cells from a name.
- :func:`escape_html`: HTML text and attribute values.
- :func:`escape_latex`: LaTeX text mode.
- :func:`escape_json`: JSON text made of ASCII structure, with the characters above written as
  ``\uXXXX`` escapes (still valid JSON, read back exactly).

Every escaper first applies :func:`escape_text`, so the control-character rule is the same in
every format. Strings of ordinary names (letters, digits, ``_ . : ( ) [ ] ' "`` and spaces) are
unchanged by :func:`escape_text`.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "escape_text",
    "escape_markdown",
    "markdown_code",
    "escape_html",
    "escape_latex",
    "escape_json",
]

# C0 controls, DEL, C1 controls; U+061C ARABIC LETTER MARK; U+200E/U+200F LRM/RLM;
# U+2028/U+2029 line/paragraph separators; U+202A..U+202E embeddings and overrides;
# U+2066..U+2069 isolates; lone surrogates; the noncharacters U+FFFE, U+FFFF.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)


_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


# What json.dumps leaves raw in strings: it already writes C0 controls as escapes, and JSON
# whitespace between tokens (newlines of ``indent``) must stay as it is.
_UNSAFE_JSON = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def _char_escape(match: re.Match[str]) -> str:
    c = match.group()
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_text(text: object) -> str:
    r"""A string safe to print on a terminal or to put in a document: every control character,
    bidi control and XML-invalid character is shown as a Python-style escape.

    Parameters
    ----------
    text : object
        Converted with ``str``.

    Returns
    -------
    str
        ``text`` with each unsafe character replaced by ``\t``, ``\n``, ``\r``, ``\xNN``
        (other code points below 256) or ``\uNNNN``; everything else (backslashes included)
        is kept as it is.

    Examples
    --------
    >>> print(escape_text("a\x1b]52;c;aGk=\x07b\rc\u202ed"))
    a\x1b]52;c;aGk=\x07b\rc\u202ed
    >>> escape_text("C(race)[T.white]")
    'C(race)[T.white]'
    """
    return _UNSAFE.sub(_char_escape, str(text))


_MD_SPECIALS = frozenset("\\`*_[]{}<>|#~&$!")


def escape_markdown(text: object) -> str:
    r"""Markdown (CommonMark / GitHub-flavoured) text, safe in a paragraph, heading or table
    cell.

    Control characters are escaped first (:func:`escape_text`); then every ASCII character that
    Markdown, GFM tables, HTML or math extensions give a meaning to is backslash-escaped:
    ``\ ` * _ [ ] { } < > | # ~ & $ !``. A ``<`` followed by a space (as in ``"< 0.001"``)
    cannot open an HTML tag and is kept.

    Parameters
    ----------
    text : object
        Converted with ``str``.

    Returns
    -------
    str

    Examples
    --------
    >>> print(escape_markdown("a*b_c <i>|x|</i> & `y`"))
    a\*b\_c \<i\>\|x\|\</i\> \& \`y\`
    >>> escape_markdown("< 0.001")
    '< 0.001'
    """
    s = escape_text(text)
    out = []
    for i, c in enumerate(s):
        if c in _MD_SPECIALS and not (c == "<" and s[i + 1 : i + 2] == " "):
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


_BACKTICK_RUN = re.compile(r"`+")


def markdown_code(text: object, *, table: bool = False) -> str:
    r"""A CommonMark inline code span showing ``text`` literally.

    The fence is one backtick longer than the longest backtick run inside, and the content is
    padded with a space on each side when it starts or ends with a backtick (or both starts and
    ends with a space), so the span can neither close early nor lose characters. Control
    characters are escaped first (:func:`escape_text`). Inside a code span HTML is never
    interpreted.

    Parameters
    ----------
    text : object
        Converted with ``str``.
    table : bool
        The span sits in a GFM table cell: ``|`` is written ``\|`` (the table parser removes
        the backslash before the code span is read).

    Returns
    -------
    str

    Examples
    --------
    >>> print(markdown_code("y ~ x"))
    `y ~ x`
    >>> print(markdown_code("a``b`"))
    ``` a``b` ```
    """
    body = escape_text(text)
    if table:
        body = body.replace("|", "\\|")
    longest = max((len(m) for m in _BACKTICK_RUN.findall(body)), default=0)
    fence = "`" * (longest + 1)
    pad = (
        body.startswith("`")
        or body.endswith("`")
        or (body.startswith(" ") and body.endswith(" ") and body.strip(" ") != "")
    )
    if pad:
        body = f" {body} "
    return f"{fence}{body}{fence}"


def escape_html(text: object) -> str:
    """HTML text or a double- or single-quoted attribute value.

    Control characters are escaped first (:func:`escape_text`), then ``& < > " '`` become
    character references.

    Parameters
    ----------
    text : object
        Converted with ``str``.

    Returns
    -------
    str

    Examples
    --------
    >>> print(escape_html("<b>&</b>"))
    &lt;b&gt;&amp;&lt;/b&gt;
    """
    return html.escape(escape_text(text), quote=True)


_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "[": "{[}",
    "]": "{]}",
    "*": "{*}",
    "²": r"\textsuperscript{2}",
    "–": "--",
    "—": "---",
    "×": r"\ensuremath{\times}",
    "−": r"\ensuremath{-}",
}


def escape_latex(text: object) -> str:
    r"""LaTeX text mode: control characters escaped first (:func:`escape_text`, whose
    backslashes are then written ``\textbackslash{}``), then every LaTeX special.

    Brackets and stars are braced so that a cell never continues ``\\`` as its optional
    argument.

    Parameters
    ----------
    text : object
        Converted with ``str``.

    Returns
    -------
    str

    Examples
    --------
    >>> print(escape_latex("50% of $x_1 & {y}"))
    50\% of \$x\_1 \& \{y\}
    """
    return "".join(_LATEX.get(c, c) for c in escape_text(text))


def escape_json(json_text: str) -> str:
    r"""JSON text (as written by :func:`json.dumps`) with the characters :func:`escape_text`
    escapes written as ``\uXXXX`` JSON escapes.

    :func:`json.dumps` already escapes C0 controls inside strings; DEL, C1 controls, bidi
    controls, separators, lone surrogates and noncharacters are escaped here. Outside strings,
    JSON text holds only ASCII structure and whitespace (left alone), so the result is valid
    JSON and decodes to exactly the same values (names round-trip unchanged).

    Parameters
    ----------
    json_text : str

    Returns
    -------
    str

    Examples
    --------
    >>> import json
    >>> s = escape_json(json.dumps({"a\u202eb": 1}, ensure_ascii=False))
    >>> s, json.loads(s) == {"a\u202eb": 1}
    ('{"a\\u202eb": 1}', True)
    """
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
