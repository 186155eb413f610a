"""The committed example reports in reports/ are what `logitstats examples` writes.

They are compared as golden files (:mod:`tests.golden_compare`: text and structure exactly,
numbers at ``RTOL_GOLDEN``, matplotlib's hashed SVG ids renamed), so they pass on any CPU; on
one machine regenerating them is byte for byte deterministic.
"""

from __future__ import annotations

from pathlib import Path

from logitstats.cli import main
from logitstats.examples import EXAMPLES, FORMATS, INDEX, example_outputs
from tests.golden_compare import assert_matches_golden

REPORTS = Path(__file__).parent.parent / "reports"
HINT = "regenerate with `logitstats examples --output reports` and review the diff"


def test_regenerating_reproduces_the_committed_reports(tmp_path, capsys):
    assert main(["examples", "--output", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    expected = sorted([INDEX] + [f"{e.stem}.{s}" for e in EXAMPLES for s in FORMATS.values()])
    assert written == expected
    assert capsys.readouterr().out.splitlines() == [
        str(tmp_path / n)
        for n in [INDEX] + [f"{e.stem}.{s}" for e in EXAMPLES for s in FORMATS.values()]
    ]
    missing = [n for n in written if not (REPORTS / n).exists()]
    assert missing == [], f"reports/ lacks {missing}: {HINT}"
    for n in written:
        got = (tmp_path / n).read_text(encoding="utf-8")
        assert_matches_golden(n, got, (REPORTS / n).read_text(encoding="utf-8"), HINT)
    # deterministic on one machine: a second generation is byte for byte the same
    again = example_outputs()
    assert sorted(again) == written
    changed = [n for n in written if again[n].encode() != (tmp_path / n).read_bytes()]
    assert changed == []


def test_examples_cover_the_promised_models():
    html = (REPORTS / "firth_endometrial.html").read_text(encoding="utf-8")
    assert "Firth penalized likelihood" in html and "quasi-complete" in html
    assert "Reference level" in (REPORTS / "multinomial_anes96.md").read_text(encoding="utf-8")
    assert "C(rate\\_marriage)" in (REPORTS / "binary_affairs.md").read_text(encoding="utf-8")
    cmp = (REPORTS / "compare_affairs.txt").read_text(encoding="utf-8")
    assert "(1)" in cmp and "(3)" in cmp and "AIC" in cmp
