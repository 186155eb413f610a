"""``logitstats fit --save`` and ``logitstats predict``, run in-process through ``main``.

The written predictions are compared exactly with ``ls.load(model).predict`` of the same rows:
CSV floats are written with the shortest round-trip repr and Parquet stores float64, so the
scored file holds the very numbers ``predict`` computes.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import logitstats as ls
from logitstats.cli import main

AFFAIRS = "had_affair ~ C(religious) + age + np.log(yrs_married) + educ"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(code: int, err: str, pattern: str) -> None:
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert re.search(pattern, err), err


@pytest.fixture
def files(tmp_path, capsys):
    """A model file from ``fit --save`` and a CSV of new rows (an id, one incomplete row)."""
    model = tmp_path / "model.json"
    code, _, _ = _run(capsys, "fit", AFFAIRS, "--data", "affairs", "--save", str(model))
    assert code == 0 and model.exists()
    new = ls.datasets.load("affairs").sample(700, random_state=3).reset_index(drop=True)
    new.insert(0, "id", [f"r{i}" for i in range(len(new))])
    new.loc[5, "age"] = np.nan
    data = tmp_path / "new.csv"
    new.to_csv(data, index=False)
    return model, data, new


def test_fit_save_then_predict_round_trip(files, tmp_path, capsys):
    model, data, new = files
    out = tmp_path / "preds.csv"
    code, _, err = _run(
        capsys, "predict", str(model), "--data", str(data), "--keep", "id",
        "--conf-level", "0.9", "--output", str(out), "--chunk-rows", "64",
    )  # fmt: skip
    assert code == 0, err
    assert "wrote 700 rows" in err
    got = pd.read_csv(out)
    # one row per input row, in input order, the kept id first
    assert list(got.columns) == ["id", "prediction", "std_error_link", "conf_low", "conf_high"]
    assert got["id"].tolist() == new["id"].tolist()
    expected = ls.load(model).predict(pd.read_csv(data), conf_level=0.9).reset_index(drop=True)
    assert_frame_equal(got.drop(columns="id"), expected, check_exact=True)
    # the incomplete row is a NaN row, the others are not
    assert got.drop(columns="id").iloc[5].isna().all()
    assert got.drop(columns="id").drop(index=5).notna().all().all()
    # and the loaded model's predictions are the fit's
    fit = ls.logit(AFFAIRS, ls.datasets.load("affairs"))
    assert np.array_equal(
        expected["prediction"].to_numpy(), fit.predict(pd.read_csv(data)).to_numpy(), equal_nan=True
    )


def test_chunking_does_not_change_the_output(files, tmp_path, capsys):
    model, data, _ = files
    outs = []
    for rows in ("7", "100000"):
        out = tmp_path / f"p{rows}.csv"
        assert _run(capsys, "predict", str(model), "--data", str(data), "--output", str(out),
                    "--kind", "link", "--chunk-rows", rows)[0] == 0  # fmt: skip
        outs.append(out.read_text())
    assert outs[0] == outs[1]


def test_multinomial_class_and_parquet(tmp_path, capsys):
    model = tmp_path / "m.json"
    assert _run(capsys, "fit", "mode ~ hinc + psize", "--data", "modechoice", "--multinomial",
                "--reference", "car", "--save", str(model))[0] == 0  # fmt: skip
    mode = ls.datasets.load("modechoice")
    data = tmp_path / "mode.csv"
    mode.to_csv(data, index=False)
    out = tmp_path / "p.parquet"
    assert _run(capsys, "predict", str(model), "--data", str(data), "--output", str(out),
                "--conf-level", "0.95", "--chunk-rows", "50")[0] == 0  # fmt: skip
    got = pd.read_parquet(out)
    levels = ["air", "bus", "car", "train"]
    assert list(got.columns[:4]) == [f"prediction_{v}" for v in levels]
    pred = ls.load(model).predict(mode, conf_level=0.95)
    assert np.array_equal(got.to_numpy(), pred.to_numpy())
    out_cls = tmp_path / "c.csv"
    assert _run(capsys, "predict", str(model), "--data", str(data), "--output", str(out_cls),
                "--kind", "class")[0] == 0  # fmt: skip
    assert (
        pd.read_csv(out_cls)["class"].tolist()
        == ls.load(model).predict(mode, kind="class").tolist()
    )


def test_unseen_level_exits_2_with_one_line_and_no_output(files, tmp_path, capsys):
    model, _, new = files
    bad = tmp_path / "bad.csv"
    new.assign(religious=new["religious"].where(new.index != 650, 9)).to_csv(bad, index=False)
    out = tmp_path / "p.csv"
    code, _, err = _run(capsys, "predict", str(model), "--data", str(bad), "--output", str(out),
                        "--chunk-rows", "100")  # fmt: skip
    _one_line_error(code, err, r"C\(religious\) holds the level 9, which was not seen")
    assert not out.exists() and list(tmp_path.glob("*.partial")) == []


def test_missing_column_exits_2_naming_it(files, tmp_path, capsys):
    model, _, new = files
    bad = tmp_path / "bad.csv"
    new.drop(columns=["educ"]).to_csv(bad, index=False)
    code, _, err = _run(capsys, "predict", str(model), "--data", str(bad), "--output",
                        str(tmp_path / "p.csv"), "--keep", "nope")  # fmt: skip
    _one_line_error(code, err, r"lacks the column\(s\) .* \['nope', 'educ'\]")


def test_missing_raise_refuses_incomplete_rows(files, tmp_path, capsys):
    model, data, _ = files
    code, _, err = _run(capsys, "predict", str(model), "--data", str(data), "--output",
                        str(tmp_path / "p.csv"), "--missing", "raise")  # fmt: skip
    _one_line_error(code, err, r"newdata has missing values in \['age'\]")


@pytest.mark.parametrize(
    ("extra", "pattern"),
    [
        (["--kind", "class", "--conf-level", "0.9"], "--conf-level applies to --kind prob"),
        (["--chunk-rows", "0"], "expected a positive integer"),
        ([], None),  # no --output
    ],
)
def test_bad_predict_options(files, tmp_path, capsys, extra, pattern):
    model, data, _ = files
    argv = ["predict", str(model), "--data", str(data), *extra]
    if extra:
        argv += ["--output", str(tmp_path / "p.csv")]
    if pattern == "expected a positive integer":
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        assert pattern in capsys.readouterr().err
        return
    code, _, err = _run(capsys, *argv)
    _one_line_error(code, err, pattern or "expected --output PATH.csv or PATH.parquet")


def test_a_model_file_that_is_not_one_exits_2(tmp_path, capsys, files):
    _, data, _ = files
    fake = tmp_path / "fake.json"
    fake.write_text('{"schema": "logitstats.model/9"}')
    code, _, err = _run(capsys, "predict", str(fake), "--data", str(data), "--output",
                        str(tmp_path / "p.csv"))  # fmt: skip
    _one_line_error(code, err, r"expected schema 'logitstats.model/1'; got 'logitstats.model/9'")
