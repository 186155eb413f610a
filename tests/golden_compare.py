"""Compare a rendered report with its committed golden file: structure exactly, numbers at a
named tolerance, so the comparison passes on any CPU and fails on a real change.

Why not byte for byte: the BLAS kernel that OpenBLAS picks for the CPU changes the order of
floating-point sums, so the estimates move in about the 12th significant digit. JSON prints 12
significant digits, and matplotlib's SVG ids are hashes of full-precision coordinates; both
change from one CPU to another while nothing the report says has changed.

The rules, one per kind of file:

- **JSON** (``.json``) is parsed. Objects must have the same keys in the same order, arrays the
  same length, strings, booleans and nulls must be equal, integers equal; a float is compared
  with :func:`math.isclose` at ``rtol=RTOL_GOLDEN``, ``atol=ATOL_GOLDEN``.
- **Text** (txt, md, html, tex, docx XML) is split into number tokens and the text between
  them. The text must be equal exactly (labels, whitespace, layout), and there must be as many
  numbers. Two numbers printed as plain integers must be equal; a number printed with a
  trailing zero (fixed decimals) must keep its number of decimals; otherwise two numbers may
  differ by one unit in the last printed digit (the finer of the two, as formats that strip
  trailing zeros, such as matplotlib's SVG, print ``57`` for ``57.000000``), plus
  ``RTOL_GOLDEN`` relative. The one
  unit is what a rounding-boundary flip costs: values within ``RTOL_GOLDEN`` of each other can
  print one unit apart, so a change of one unit in the last printed digit is not detected in
  text formats (the JSON golden of the same report holds 12 digits and catches it).
- **Figures**: matplotlib's hashed SVG ids (``p``/``m`` and 10 hex digits, after any prefix such
  as ``fig-forest-``) are renamed by order of first use, so references still have to match
  the same elements; an inline base64 PNG is replaced by its pixel size. SVG coordinates are
  compared as numbers like any other.
"""

from __future__ import annotations

import base64
import json
import math
import re
import struct
from dataclasses import dataclass
from typing import Any

from tests.tolerances import ATOL_GOLDEN, RTOL_GOLDEN

__all__ = [
    "assert_matches_golden",
    "compare_json",
    "compare_text",
    "golden_differences",
    "max_relative_deviation",
    "normalise_figures",
    "tokenise",
]

#: a number as printed: optional sign (ASCII or Unicode minus), digits, optional decimals and
#: exponent; not part of a word or a dotted name (``x1``, ``ytick_6``, ``[T.2]`` are text); a
#: full stop after it ends a sentence
NUMBER = re.compile(r"(?<![\w.])[-\u2212]?(?:\d+\.\d+|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w]|\.\d)")

#: matplotlib's hashed SVG ids: ``p`` (clip paths) or ``m`` (markers) and 10 hex digits,
#: after an optional prefix added by the HTML renderer (``fig-forest-``)
_SVG_ID = re.compile(r"(?<![\w-])((?:[A-Za-z]\w*-)*[mp])([0-9a-f]{10})(?![\w-])")
_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
_MAX_REPORTED = 10


@dataclass(frozen=True)
class Token:
    """A piece of a text file: ``text`` (exact) or a number as printed, at ``line``."""

    text: str
    is_number: bool
    line: int


def normalise_figures(text: str) -> str:
    """Rename matplotlib's hashed SVG ids by first use and replace inline PNGs by their size."""
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        key = m.group(0)
        if key not in names:
            names[key] = f"{m.group(1)}ID{len(names) + 1}"
        return names[key]

    def png_size(m: re.Match[str]) -> str:
        blob = base64.b64decode(m.group(1))
        if blob[:8] != b"\x89PNG\r\n\x1a\n":
            return m.group(0)  # not a PNG after all: left as it is, compared exactly
        width, height = struct.unpack(">II", blob[16:24])
        return f"data:image/png;base64,<PNG {width}x{height}>"

    return _PNG.sub(png_size, _SVG_ID.sub(rename, text))


def tokenise(text: str) -> list[Token]:
    """Split text into alternating non-number text and number tokens (empty text dropped)."""
    tokens: list[Token] = []
    pos = 0
    for m in NUMBER.finditer(text):
        if m.start() > pos:
            tokens.append(Token(text[pos : m.start()], False, text.count("\n", 0, pos) + 1))
        tokens.append(Token(m.group(0), True, text.count("\n", 0, m.start()) + 1))
        pos = m.end()
    if pos < len(text):
        tokens.append(Token(text[pos:], False, text.count("\n", 0, pos) + 1))
    return tokens


def _value(token: str) -> float:
    return float(token.replace("\u2212", "-"))


def _decimals(token: str) -> int:
    return len(token.lower().partition("e")[0].partition(".")[2])


def _last_digit_unit(token: str) -> float:
    """One unit in the last printed digit: ``0.0349`` -> 1e-4, ``2.213e-06`` -> 1e-9."""
    exponent = token.lower().partition("e")[2]
    return 10.0 ** (int(exponent or 0) - _decimals(token))


def _is_integer(token: str) -> bool:
    return "." not in token and "e" not in token.lower()


def _numbers_agree(actual: str, expected: str, rtol: float) -> bool:
    if actual == expected:
        return True
    if _is_integer(actual) and _is_integer(expected):
        return False
    if _decimals(actual) != _decimals(expected):
        longer = max(actual, expected, key=_decimals)
        if longer.lower().partition("e")[0].endswith("0"):
            return False  # a trailing zero: fixed decimals, so the printed precision changed
    a, b = _value(actual), _value(expected)
    unit = min(_last_digit_unit(actual), _last_digit_unit(expected))
    return abs(a - b) <= unit * (1 + 1e-9) + rtol * max(abs(a), abs(b))


def compare_text(actual: str, expected: str, *, rtol: float = RTOL_GOLDEN) -> list[str]:
    """Differences between two text files (empty when they agree); see the module notes."""
    got = tokenise(normalise_figures(actual))
    want = tokenise(normalise_figures(expected))
    diffs: list[str] = []
    for g, w in zip(got, want):
        if g.is_number != w.is_number or (not g.is_number and g.text != w.text):
            diffs.append(f"line {w.line}: text differs: expected {w.text!r}; got {g.text!r}")
            break  # the rest is out of step
        if g.is_number and not _numbers_agree(g.text, w.text, rtol):
            diffs.append(f"line {w.line}: number differs: expected {w.text}; got {g.text}")
    else:
        if len(got) != len(want):
            diffs.append(f"length differs: expected {len(want)} tokens; got {len(got)}")
    return diffs


class _Object(tuple):
    """A JSON object as its ordered (key, value) pairs, so that key order is compared too."""


def _compare_values(got: Any, want: Any, where: str, rtol: float, atol: float) -> list[str]:
    if isinstance(want, _Object):
        if not isinstance(got, _Object):
            return [f"{where}: expected an object; got {got!r:.80}"]
        keys_w, keys_g = [k for k, _ in want], [k for k, _ in got]
        if keys_w != keys_g:
            return [f"{where}: keys differ: expected {keys_w}; got {keys_g}"]
        out: list[str] = []
        for (k, g), (_, w) in zip(got, want):
            out += _compare_values(g, w, f"{where}.{k}", rtol, atol)
        return out
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{where}: expected an array of {len(want)}; got {got!r:.80}"]
        out = []
        for i, (g, w) in enumerate(zip(got, want)):
            out += _compare_values(g, w, f"{where}[{i}]", rtol, atol)
        return out
    is_float = isinstance(want, float) or isinstance(got, float)
    if is_float and _is_real(got) and _is_real(want):
        if math.isnan(want) and math.isnan(got):
            return []
        if math.isclose(got, want, rel_tol=rtol, abs_tol=atol):
            return []
        return [f"{where}: expected {want!r}; got {got!r}"]
    if type(got) is not type(want) or got != want:
        return [f"{where}: expected {want!r}; got {got!r}"]
    return []


def _is_real(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def compare_json(
    actual: str, expected: str, *, rtol: float = RTOL_GOLDEN, atol: float = ATOL_GOLDEN
) -> list[str]:
    """Differences between two JSON documents (empty when they agree); see the module notes."""
    got = json.loads(actual, object_pairs_hook=_Object)
    want = json.loads(expected, object_pairs_hook=_Object)
    return _compare_values(got, want, "$", rtol, atol)


def golden_differences(name: str, actual: str, expected: str) -> list[str]:
    """Differences between ``actual`` and the golden ``expected`` of file ``name`` (by suffix)."""
    if name.endswith(".json"):
        return compare_json(actual, expected)
    return compare_text(actual, expected)


def assert_matches_golden(name: str, actual: str, expected: str, hint: str) -> None:
    """Raise AssertionError listing the first differences; ``hint`` says how to regenerate."""
    diffs = golden_differences(name, actual, expected)
    if diffs:
        shown = "\n  ".join(diffs[:_MAX_REPORTED])
        extra = len(diffs) - _MAX_REPORTED
        more = f"\n  ... and {extra} more" if extra > 0 else ""
        raise AssertionError(f"{name} differs from its golden file ({hint}):\n  {shown}{more}")


def max_relative_deviation(name: str, actual: str, expected: str) -> float:
    """The largest ``|a - b| / max(|a|, |b|)`` over the numbers of two files of equal structure
    (a measurement for choosing ``RTOL_GOLDEN``; numbers equal as printed count 0)."""
    if name.endswith(".json"):
        a = [float(m) for m in NUMBER.findall(actual)]
        b = [float(m) for m in NUMBER.findall(expected)]
    else:
        a = [_value(t.text) for t in tokenise(normalise_figures(actual)) if t.is_number]
        b = [_value(t.text) for t in tokenise(normalise_figures(expected)) if t.is_number]
    if len(a) != len(b):
        raise ValueError(f"{name}: expected {len(b)} numbers; got {len(a)}")
    return max(
        (abs(x - y) / max(abs(x), abs(y)) for x, y in zip(a, b) if x != y),
        default=0.0,
    )
