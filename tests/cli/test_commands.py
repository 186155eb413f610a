"""The ``logitstats`` command line: ``fit`` and ``datasets``, run in-process through ``main``.

Numbers written by ``--format json`` are compared with the R references of
``tests/reference/binary_glm.json`` (full double precision is written). One test runs the
installed console script in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import logitstats as ls
from logitstats.cli import load_data, main
from logitstats.errors import DataError
from tests.conftest import load_reference
from tests.tolerances import RTOL_R

REF = load_reference("binary_glm")
SPECTOR = "GRADE ~ GPA + TUCE + PSI"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _coefs(doc: dict) -> pd.Series:
    return pd.Series({c["term"]: c["estimate"] for c in doc["coefficients"]})


def _assert_one_line_error(code: int, out: str, err: str, pattern: str) -> None:
    assert code == 2
    assert out == ""
    assert err.startswith("logitstats: error: ")
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "Traceback" not in err
    assert pd.Series([err]).str.contains(pattern, regex=True).iloc[0], err


# --------------------------------------------------------------------------- fit


def test_fit_text_summary(capsys):
    code, out, err = _run(capsys, "fit", SPECTOR, "--data", "spector")
    assert code == 0 and err == ""
    assert out.startswith("Binary logistic regression, maximum likelihood")
    assert "GRADE; event = 1 (vs 0)" in out
    ref = REF["spector"]
    psi = dict(zip(ref["coef_names_py"], ref["coef"], strict=True))["PSI"]
    assert f"{psi:.4f}" in out  # R: 2.3787


def test_fit_json_matches_r(capsys):
    code, out, _ = _run(capsys, "fit", SPECTOR, "--data", "spector", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    ref = REF["spector"]
    est = _coefs(doc)[ref["coef_names_py"]]
    assert_allclose(est, ref["coef"], rtol=RTOL_R)
    se = pd.Series({c["term"]: c["std_error"] for c in doc["coefficients"]})
    assert_allclose(se[ref["coef_names_py"]], ref["se"], rtol=RTOL_R)
    stats = doc["statistics"]
    for key, rkey in [("loglik", "llf"), ("aic", "aic"), ("bic", "bic"), ("deviance", "deviance")]:
        assert_allclose(stats[key], ref[rkey], rtol=RTOL_R)
    assert doc["model"]["data_name"] == "spector"


def test_fit_odds_ratios_json(capsys):
    code, out, _ = _run(
        capsys, "fit", SPECTOR, "--data", "spector", "--odds-ratios", "--format", "json"
    )
    assert code == 0
    doc = json.loads(out)
    ref = REF["spector"]
    assert doc["exponentiate"] is True
    assert_allclose(_coefs(doc)[ref["coef_names_py"]], np.exp(ref["coef"]), rtol=RTOL_R)
    low = pd.Series({c["term"]: c["conf_low"] for c in doc["coefficients"]})
    assert_allclose(low[ref["coef_names_py"]], np.exp(ref["ci_wald_low"]), rtol=RTOL_R)


def test_fit_markdown_to_output_file(capsys, tmp_path):
    target = tmp_path / "fit.md"
    code, out, err = _run(
        capsys, "fit", SPECTOR, "--data", "spector", "--format", "markdown", "--output", str(target)
    )
    assert code == 0 and out == "" and err == ""
    text = target.read_text(encoding="utf-8")
    assert "| Term | Estimate | Std. Error | z | p | 2.5 % | 97.5 % |" in text
    ref = REF["spector"]
    gpa = dict(zip(ref["coef_names_py"], ref["coef"], strict=True))["GPA"]
    assert f"| GPA | {gpa:.4f} |" in text  # R: 2.8261


def test_fit_csv_with_string_outcome_event_and_weights(capsys, tmp_path):
    ref = REF["spector_weighted"]
    df = ls.datasets.load("spector")
    df["result"] = np.where(df["GRADE"] == 1, "pass", "fail")
    df["n"] = ref["weights"]
    path = tmp_path / "students.csv"
    df.drop(columns="GRADE").to_csv(path, index=False)
    argv = ["fit", "result ~ GPA + TUCE + PSI", "--data", str(path), "--weights", "n"]
    code, out, _ = _run(capsys, *argv, "--event", "pass", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["model"]["event"] == "pass" and doc["model"]["data_name"] == "students.csv"
    assert_allclose(_coefs(doc)[ref["coef_names_py"]], ref["coef"], rtol=RTOL_R)
    assert doc["statistics"]["nobs"] == ref["nobs_expanded"]
    assert_allclose(doc["statistics"]["bic"], ref["bic_expanded"], rtol=RTOL_R)
    code, out, _ = _run(capsys, *argv, "--event", "fail", "--format", "json")
    assert code == 0
    assert_allclose(
        _coefs(json.loads(out))[ref["coef_names_py"]], -np.array(ref["coef"]), rtol=RTOL_R
    )


def test_fit_offset_column(capsys, tmp_path):
    ref = REF["spector_offset"]
    df = ls.datasets.load("spector").assign(off=ref["offset"])
    path = tmp_path / "spector_off.csv"
    df.to_csv(path, index=False)
    code, out, _ = _run(
        capsys, "fit", ref["formula_py"], "--data", str(path), "--offset", "off", "--format", "json"
    )
    assert code == 0
    doc = json.loads(out)
    assert_allclose(_coefs(doc)[ref["coef_names_py"]], ref["coef"], rtol=RTOL_R)
    assert_allclose(doc["statistics"]["loglik_null"], ref["llnull"], rtol=RTOL_R)


def test_warnings_go_to_stderr_as_one_line(capsys):
    # endometrial: NV quasi-separates HG (Heinze & Schemper 2002), so the fit warns
    code, out, err = _run(capsys, "fit", "HG ~ NV + PI + EH", "--data", "endometrial")
    assert code == 0 and out.startswith("Binary logistic regression")
    assert err.startswith("logitstats: warning: ") and "Traceback" not in err


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "argv, pattern",
    [
        (["fit", "GRADE ~ GPA + TUC", "--data", "spector"], r"'TUC'.*did you mean 'TUCE'"),
        (["fit", "GRADE ~ GPA +", "--data", "spector"], r"cannot parse formula"),
        (["fit", "TUCE ~ GPA", "--data", "spector"], r"14 distinct values.*mlogit"),
        (["fit", SPECTOR, "--data", "no_such_file.csv"], r"neither a bundled dataset .*spector"),
        (["fit", SPECTOR, "--data", "spector", "--weights", "n"], r"weights='n' is not a column"),
        (["fit", SPECTOR, "--data", "spector", "--event", "3"], r"its values are 0, 1"),
        (["fit", SPECTOR, "--data", "spector", "--cov-type", "HC9"], r"cov_type must be one of"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, argv, pattern):
    _assert_one_line_error(*_run(capsys, *argv), pattern)


def test_unwritable_output(capsys, tmp_path):
    target = tmp_path / "missing_dir" / "fit.txt"
    code, out, err = _run(capsys, "fit", SPECTOR, "--data", "spector", "--output", str(target))
    _assert_one_line_error(code, out, err, r"cannot write .*fit\.txt")


def test_unreadable_csv(capsys, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    _assert_one_line_error(*_run(capsys, "fit", SPECTOR, "--data", str(path)), r"cannot read")


@pytest.mark.parametrize(
    "argv, pattern",
    [
        (["fit", SPECTOR], r"logitstats fit: error: the following arguments are required: --data"),
        ([], r"logitstats: error: the following arguments are required: command"),
        (["fit", SPECTOR, "--data", "spector", "--format", "pdf"], r"invalid choice: 'pdf'"),
        (
            ["fit", SPECTOR, "--data", "spector", "--conf-level", "95"],
            r"argument --conf-level: expected a number between 0 and 1, e.g. 0.95; got 95",
        ),
    ],
)
def test_bad_usage_exits_2_with_one_line(capsys, argv, pattern):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert pd.Series([err]).str.contains(pattern, regex=True).iloc[0], err
    assert "--help" in err


# --------------------------------------------------------------------------- data loading


def test_load_data_by_name_and_csv(tmp_path):
    df, name = load_data("spector")
    assert name == "spector" and df.shape == (32, 4)
    path = tmp_path / "x.csv"
    df.to_csv(path, index=False)
    df2, name2 = load_data(str(path))
    assert name2 == "x.csv"
    pd.testing.assert_frame_equal(df, df2)


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def test_parquet_without_pyarrow_says_to_install_it(capsys, tmp_path, monkeypatch):
    # pandas' reader as it fails without pyarrow (its ImportError), so the message is tested
    # whether or not pyarrow is installed here
    def no_pyarrow(*args, **kwargs):
        raise ImportError("Missing optional dependency 'pyarrow'.  Use pip or conda to install.")

    monkeypatch.setattr(pd, "read_parquet", no_pyarrow)
    path = tmp_path / "data.parquet"
    path.write_bytes(b"PAR1 not really parquet")
    with pytest.raises(DataError, match=r"reading Parquet needs pyarrow: pip install pyarrow"):
        load_data(str(path))
    _assert_one_line_error(
        *_run(capsys, "fit", SPECTOR, "--data", str(path)), r"pip install pyarrow"
    )


@pytest.mark.skipif(not _has_pyarrow(), reason="pyarrow is absent: the install hint is tested")
def test_parquet_with_pyarrow(capsys, tmp_path):
    path = tmp_path / "spector.parquet"
    ls.datasets.load("spector").to_parquet(path)
    code, out, _ = _run(capsys, "fit", SPECTOR, "--data", str(path), "--format", "json")
    assert code == 0
    ref = REF["spector"]
    assert_allclose(_coefs(json.loads(out))[ref["coef_names_py"]], ref["coef"], rtol=RTOL_R)


# --------------------------------------------------------------------------- datasets


def test_datasets_command_lists_every_dataset(capsys):
    code, out, err = _run(capsys, "datasets")
    assert code == 0 and err == ""
    for name in ls.datasets.names():
        assert f"--data {name}" in out
        assert out.count(f"\n{name} ") + out.startswith(f"{name} ") == 1


# --------------------------------------------------------------------------- console script


def test_installed_console_script():
    script = Path(sys.executable).parent / "logitstats"
    assert script.exists(), f"console script not found at {script}; run pip install -e ."
    good = subprocess.run(
        [str(script), "fit", SPECTOR, "--data", "spector"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert good.returncode == 0, good.stderr
    assert "GRADE; event = 1 (vs 0)" in good.stdout


def test_report_of_a_firth_fit_uses_penalized_inference(capsys):
    # before: --ci-method defaulted to "wald", so Firth reports from the CLI were Wald ones
    code, out, _ = _run(
        capsys, "report", "HG ~ NV + PI + EH", "--data", "endometrial", "--firth"
    )
    assert code == 0
    assert "p-values: penalized likelihood-ratio tests, as logistf" in out
    code, out, _ = _run(
        capsys,
        "report",
        "HG ~ NV + PI + EH",
        "--data",
        "endometrial",
        "--firth",
        "--ci-method",
        "wald",
    )
    assert code == 0
    assert "p-values: Wald z tests, as brglm2's summary" in out
