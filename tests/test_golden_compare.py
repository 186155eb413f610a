"""The golden-file comparison: passes what a BLAS kernel changes, fails what a reader would see."""

from __future__ import annotations

import base64
import struct

import pytest

from tests.golden_compare import (
    assert_matches_golden,
    compare_json,
    compare_text,
    golden_differences,
    max_relative_deviation,
    normalise_figures,
    tokenise,
)
from tests.tolerances import ATOL_GOLDEN, RTOL_EXACT, RTOL_GOLDEN

# ---------------------------------------------------------------------------------- JSON

BASE = '{"a": 1, "b": [1.5, "x", true, null], "c": {"d": 0.123456789012}, "e": [], "f": {}}'


def test_equal_json_and_float_noise_within_the_tolerance_pass():
    assert compare_json(BASE, BASE) == []
    noisy = BASE.replace("0.123456789012", repr(0.123456789012 * (1 + RTOL_GOLDEN / 2)))
    assert noisy != BASE
    assert compare_json(noisy, BASE) == []
    near_zero = '{"x": %r}' % (ATOL_GOLDEN / 2)
    assert compare_json(near_zero, '{"x": 0.0}') == []


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        (BASE.replace("0.123456789012", "0.123456912469"), "$.c.d: expected 0.123456789012"),
        (BASE.replace('"a": 1', '"a": 2'), "$.a: expected 1; got 2"),
        (BASE.replace('"a": 1,', "").replace('"f": {}', '"f": {}, "a": 1'), "$: keys differ"),
        (BASE.replace('"c"', '"C"'), "$: keys differ"),
        (BASE.replace('"x"', '"y"'), "$.b[1]: expected 'x'; got 'y'"),
        (BASE.replace("true", "1"), "$.b[2]: expected True; got 1"),
        (BASE.replace("null", "0"), "$.b[3]: expected None; got 0"),
        (BASE.replace('"x", ', ""), "$.b: expected an array of 4"),
        (BASE.replace('"e": []', '"e": {}'), "$.e: expected an array of 0"),
        (BASE.replace('"f": {}', '"f": []'), "$.f: expected an object"),
    ],
)
def test_json_changes_of_a_number_a_key_a_value_or_the_structure_fail(changed, message):
    diffs = compare_json(changed, BASE)
    assert diffs and diffs[0].startswith(message), diffs


def test_json_nan_equals_nan():
    assert compare_json('{"x": NaN}', '{"x": NaN}') == []
    assert compare_json('{"x": NaN}', '{"x": 1.0}') != []


# ---------------------------------------------------------------------------------- text


def test_tokenise_keeps_numbers_inside_names_as_text():
    tokens = tokenise("x1 ytick_6 C(g)[T.2] p3c7689c79a = -3.5e-02, \u22121.25 and 7.")
    assert [t.text for t in tokens if t.is_number] == ["-3.5e-02", "\u22121.25", "7"]
    assert "".join(t.text for t in tokens) == (
        "x1 ytick_6 C(g)[T.2] p3c7689c79a = -3.5e-02, \u22121.25 and 7."
    )


TABLE = "Term   Estimate\nGPA      2.8261\nTUCE     0.0952\nn: 32\n"


def test_a_flip_of_one_unit_in_the_last_printed_digit_passes():
    assert compare_text(TABLE, TABLE) == []
    assert compare_text(TABLE.replace("2.8261", "2.8262"), TABLE) == []
    # the finer of two printed precisions: SVG strips trailing zeros
    assert compare_text("L 57 18.1", "L 57.000001 18.1") == []
    assert compare_text("-0.0000", "0.0000") == []


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        (TABLE.replace("2.8261", "2.8263"), "line 2: number differs: expected 2.8261; got 2.8263"),
        (TABLE.replace("32", "33"), "line 4: number differs: expected 32; got 33"),
        (TABLE.replace("TUCE", "TUCF"), "line 2: text differs"),
        (TABLE.replace("GPA     ", "GPA    "), "line 1: text differs"),
        (TABLE + "\n", "line 4: text differs"),
        (TABLE.replace("\nn: 32\n", "\n"), "line 3: text differs"),
        (TABLE.replace("2.8261", "2.82610"), "line 2: number differs: expected 2.8261; got"),
        (TABLE.replace("32", "32.0"), "line 4: number differs: expected 32; got 32.0"),
        (TABLE.replace("Term", "Term 1"), "line 1: text differs"),
    ],
)
def test_text_changes_of_a_number_a_label_or_the_layout_fail(changed, message):
    diffs = compare_text(changed, TABLE)
    assert diffs and diffs[0].startswith(message), diffs


# --------------------------------------------------------------------------------- figures

SVG = (
    '<clipPath id="fig-forest-p3c7689c79a"><rect x="57.6" y="41.472"/></clipPath>'
    '<path d="M 0 0" clip-path="url(#fig-forest-p3c7689c79a)"/>'
    '<use xlink:href="#fig-forest-m5d0375d219" x="1.5"/>'
    '<use xlink:href="#fig-forest-m5d0375d219" x="2.5"/>'
)


def test_hashed_svg_ids_are_renamed_by_first_use():
    other = SVG.replace("p3c7689c79a", "p4da148670f").replace("m5d0375d219", "m0123456789")
    assert normalise_figures(other) == normalise_figures(SVG)
    assert "fig-forest-pID1" in normalise_figures(SVG)
    assert compare_text(other, SVG) == []


def test_svg_references_to_different_elements_fail():
    # the second marker use points to a new id: a different structure, whatever the hashes
    rewired = SVG[::-1].replace("m5d0375d219"[::-1], "m0123456789"[::-1], 1)[::-1]
    assert compare_text(rewired, SVG) != []
    moved = SVG.replace('x="2.5"', 'x="2.7"')
    assert compare_text(moved, SVG) == ["line 1: number differs: expected 2.5; got 2.7"]


def _png(width: int, height: int, payload: bytes) -> str:
    head = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
    blob = head + struct.pack(">II", width, height) + b"\x08\x02\x00\x00\x00" + payload
    return '<img src="data:image/png;base64,' + base64.b64encode(blob).decode() + '">'


def test_inline_pngs_are_compared_by_their_size():
    assert compare_text(_png(30, 20, b"one"), _png(30, 20, b"two")) == []
    assert compare_text(_png(30, 21, b"one"), _png(30, 20, b"one")) != []


# ------------------------------------------------------------------------------ dispatch


def test_files_are_compared_by_suffix_and_failures_name_the_file():
    assert golden_differences("a.json", '{"x":1.0}', '{"x": 1.0000000000001}') == []
    assert golden_differences("a.txt", '{"x":1.0}', '{"x": 1.0}') != []  # layout counts
    with pytest.raises(AssertionError, match=r"a\.md differs from its golden file \(regen\)"):
        assert_matches_golden("a.md", "x 1.5", "x 1.7", "regen")
    assert_matches_golden("a.md", "x 1.5", "x 1.5", "regen")


def test_max_relative_deviation_measures_the_largest_number_change():
    assert max_relative_deviation("a.txt", "a 1.00 b 4.00", "a 1.01 b 4.00") == pytest.approx(
        0.01 / 1.01, rel=RTOL_EXACT
    )
    assert max_relative_deviation("a.json", '{"x": 2.0}', '{"x": 2.0}') == 0.0
    with pytest.raises(ValueError, match="expected 2 numbers; got 1"):
        max_relative_deviation("a.txt", "a 1", "a 1 2")
