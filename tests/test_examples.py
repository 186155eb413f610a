"""The committed example reports in reports/ are exactly what `logitstats examples` writes."""

from __future__ import annotations

from pathlib import Path

from logitstats.cli import main
from logitstats.examples import EXAMPLES, FORMATS, INDEX

REPORTS = Path(__file__).parent.parent / "reports"


def test_regenerating_reproduces_the_committed_reports(tmp_path, capsys):
    assert main(["examples", "--output", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    expected = sorted([INDEX] + [f"{e.stem}.{s}" for e in EXAMPLES for s in FORMATS.values()])
    assert written == expected
    assert capsys.readouterr().out.splitlines() == [
        str(tmp_path / n)
        for n in [INDEX] + [f"{e.stem}.{s}" for e in EXAMPLES for s in FORMATS.values()]
    ]
    stale = [
        n
        for n in written
        if not (REPORTS / n).exists() or (REPORTS / n).read_bytes() != (tmp_path / n).read_bytes()
    ]
    assert stale == [], (
        f"reports/ is out of date for {stale}: regenerate with "
        "`logitstats examples --output reports` and review the diff"
    )


def test_examples_cover_the_promised_models():
    html = (REPORTS / "firth_endometrial.html").read_text(encoding="utf-8")
    assert "Firth penalized likelihood" in html and "quasi-complete" in html
    assert "Reference level" in (REPORTS / "multinomial_anes96.md").read_text(encoding="utf-8")
    assert "C(rate\\_marriage)" in (REPORTS / "binary_affairs.md").read_text(encoding="utf-8")
    cmp = (REPORTS / "compare_affairs.txt").read_text(encoding="utf-8")
    assert "(1)" in cmp and "(3)" in cmp and "AIC" in cmp
