"""Loading is safe: altered, hostile or malformed model files are refused, and nothing runs.

Most cases rewrite the content *and* its checksum (:func:`_rewrite`), so the check under test
is the one that refuses the file, not the checksum.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import logitstats as ls
from logitstats.io.model_file import canonical_json


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    df = ls.datasets.load("spector")
    fit = ls.logit("GRADE ~ GPA + TUCE + C(PSI)", df)
    return fit.save(tmp_path_factory.mktemp("model") / "model.json")


def _rewrite(src: Path, dst: Path, mutate: Callable[[dict], None], checksum: bool = True) -> Path:
    doc = json.loads(src.read_text())
    mutate(doc["content"])
    if checksum:
        digest = hashlib.sha256(canonical_json(doc["content"]).encode()).hexdigest()
        doc["checksum"]["value"] = digest
    dst.write_text(json.dumps(doc))
    return dst


def test_an_untouched_file_loads(saved):
    assert ls.load(saved).converged


@pytest.mark.parametrize(
    "code",
    [
        "__import__('os').system('touch {sentinel}')",
        "open('{sentinel}', 'w').write('x')",
        "().__class__.__bases__[0].__subclasses__()",
        "GPA.__class__",
    ],
)
def test_a_hostile_formula_is_refused_and_nothing_runs(saved, tmp_path, code):
    sentinel = tmp_path / "SENTINEL"
    hostile = code.format(sentinel=sentinel)

    def mutate(c: dict) -> None:
        c["spec"]["factors"][1]["code"] = hostile  # the factor GPA
        c["spec"]["formula"] = c["design"]["formula"] = f"GRADE ~ {hostile} + TUCE + C(PSI)"

    path = _rewrite(saved, tmp_path / "hostile.json", mutate)
    with pytest.raises(ls.ModelFileError, match="model specification is refused"):
        loaded = ls.load(path)
        loaded.predict(ls.datasets.load("spector"))  # pragma: no cover - must not be reached
    assert not sentinel.exists()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda c: c["params"].append(0.5), r"params expected shape \(4,\); got \(5,\)"),
        (lambda c: c["cov"]["matrix"].pop(), r"cov.matrix expected shape \(4, 4\); got \(3, 4\)"),
        (
            lambda c: c["state"]["information"][0].append(1.0),
            r"state.information expected shape \(4, 4\)",
        ),
        (lambda c: c["params"].__setitem__(1, "NaN"), "params expected finite numbers"),
        (lambda c: c["params"].__setitem__(1, "Infinity"), "params expected finite numbers"),
        (
            lambda c: c["cov"]["matrix"][0].__setitem__(0, "-Infinity"),
            "cov expected finite numbers",
        ),
        (lambda c: c["params"].__setitem__(1, "1e3"), r"params expected a number; got '1e3'"),
        (lambda c: c.pop("state"), "expected the field 'state'"),
        (lambda c: c["cov"].__setitem__("type", "HC9"), "cov.type expected one of"),
        (
            lambda c: c.__setitem__("kind", "ordinal"),
            r"kind expected one of \['binary', 'multinomial', 'ordinal'\] \(the spec's 'binary'\); "
            "got 'ordinal'",
        ),
        (
            lambda c: c.__setitem__("estimator", "bayes"),
            r"estimator expected one of \['ml', 'firth'\] for the binary model; got 'bayes'",
        ),
        (lambda c: c["spec"].__setitem__("schema", "x/9"), "expected a mapping with schema"),
        (
            lambda c: c["spec"]["terms"][1]["subterms"][0].__setitem__("num_columns", 3),
            "model specification is refused",
        ),
        (lambda c: c["design"].__setitem__("nobs", -1.0), "design.nobs expected a positive"),
    ],
    ids=[
        "params too long",
        "cov rows",
        "information",
        "params NaN",
        "params inf",
        "cov inf",
        "number as text",
        "no state",
        "cov type",
        "kind",
        "estimator",
        "spec schema",
        "spec shapes",
        "nobs",
    ],
)
def test_a_malformed_file_is_refused(saved, tmp_path, mutate, message):
    path = _rewrite(saved, tmp_path / "bad.json", mutate)
    with pytest.raises(ls.ModelFileError, match=message):
        ls.load(path)


def test_an_altered_file_fails_its_checksum(saved, tmp_path):
    path = _rewrite(
        saved, tmp_path / "edited.json", lambda c: c["params"].__setitem__(1, 9.0), checksum=False
    )
    with pytest.raises(ls.ModelFileError, match="checksum mismatch.*save the model again"):
        ls.load(path)


def test_an_unknown_schema_version_is_refused(saved, tmp_path):
    doc = json.loads(saved.read_text())
    doc["schema"] = "logitstats.model/2"
    (tmp_path / "v2.json").write_text(json.dumps(doc))
    with pytest.raises(
        ls.ModelFileError, match=r"expected schema 'logitstats.model/1'; got 'logitstats.model/2'"
    ):
        ls.load(tmp_path / "v2.json")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"not json", "expected a JSON document; got invalid JSON"),
        (b"[1, 2]", "expected a JSON object; got list"),
        (b'{"schema": "logitstats.model/1", "x": NaN}', "expected strict JSON numbers"),
        (b'{"schema": "logitstats.model/1"}', "expected the objects 'content' and 'checksum'"),
        (b"\xff\xfe{}", "expected a JSON document; got invalid JSON"),
    ],
    ids=["text", "list", "NaN token", "no content", "not utf-8"],
)
def test_what_is_not_a_model_file_is_refused(tmp_path, text, message):
    path = tmp_path / "x.json"
    path.write_bytes(text)
    with pytest.raises(ls.ModelFileError, match=message):
        ls.load(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ls.ModelFileError, match=r"cannot be read"):
        ls.load(tmp_path / "nope.json")


def test_saving_non_finite_estimates_is_refused(tmp_path):
    import dataclasses

    import numpy as np

    fit = ls.logit("GRADE ~ GPA", ls.datasets.load("spector"))
    broken = dataclasses.replace(fit, cov_array=np.full_like(fit.cov_array, np.nan))
    with pytest.raises(ls.ModelFileError, match="covariance of this fit are not all finite"):
        broken.save(tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()
