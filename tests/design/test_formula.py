"""A formula is data, never code (issue 12): the allow-list evaluator of
``logitstats.design.formula``.

Hostile formulas are refused with a ``FormulaError`` naming the refused token before anything is
evaluated; sentinels (a file that must not appear, a counter that must stay 0) prove nothing ran.
Legitimate formulas build the same matrix as plain ``patsy.dmatrix`` (which evaluates in the
caller's frame), bit for bit.
"""

from __future__ import annotations

import dataclasses
import os  # noqa: F401 (a module in the caller's frame: a formula must not reach it)
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import patsy
import pytest
from numpy.testing import assert_allclose

import logitstats as ls
from logitstats.design import fill as design_fast
from logitstats.design import formula as formula_mod
from logitstats.design.build import build_design, newdata_matrix
from logitstats.design.formula import FormulaEnvironment, formula_env, scan_factor
from logitstats.errors import FormulaError, LogitstatsError
from tests.tolerances import ATOL_STANDARDIZE, RTOL_PROPERTY

CALLS = [0]  # the global counter: any hostile code that ran would have bumped it


def sentinel_bump(v):
    """A function of the caller's module: a formula must not be able to call it."""
    CALLS[0] += 1
    return v


@pytest.fixture(autouse=True)
def _reset_counter():
    CALLS[0] = 0
    yield
    assert CALLS[0] == 0, "hostile code ran"


@pytest.fixture()
def df() -> pd.DataFrame:
    rng = np.random.default_rng(20261201)
    n = 80
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "y": (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int),
            "x": x,
            "z": rng.uniform(0.5, 3.0, n),
            "k": rng.integers(1, 6, n),
            "g": rng.choice(["a", "b", "c"], n),
            "mode": rng.choice(["bus", "car", "train"], n),
        }
    )


# (formula template, pattern the message must contain: the refused token); {m} is the marker path
HOSTILE = [
    ("y ~ I(x + 0*__import__('os').system('touch {m}'))", r"__import__"),
    ("y ~ __import__('os').system('touch {m}')", r"__import__"),
    ("y ~ I(open('{m}', 'w'))", r"open\(\)"),
    ("y ~ I(x + 0*len(open('{m}', 'w').name))", r"open\("),
    ("y ~ eval(\"__import__('os')\")", r"eval\(\)"),
    ("y ~ exec('x = 1')", r"exec\(\)"),
    ("y ~ compile('1', 'f', 'eval')", r"compile\(\)"),
    ("y ~ getattr(x, '__class__')", r"getattr\(\)"),
    ("y ~ I(globals())", r"globals\(\)"),
    ("y ~ vars()", r"vars\(\)"),
    ("y ~ breakpoint()", r"breakpoint\(\)"),
    ("y ~ x.__class__", r"\.__class__"),
    ("y ~ I(x.__class__.__mro__)", r"__mro__"),
    ("y ~ I(x.__class__.__subclasses__())", r"__subclasses__"),
    ("y ~ I(np.clip.__globals__)", r"\.__globals__"),
    ("y ~ np.savetxt('{m}', x)", r"np\.savetxt"),
    ("y ~ np.fromfile('{m}')", r"np\.fromfile"),
    ("y ~ np.load('{m}')", r"np\.load"),
    ("y ~ numpy.save('{m}', x)", r"np\.save"),
    ("y ~ np.frompyfunc(abs, 1, 1)(x)", r"np\.frompyfunc"),
    ("y ~ np.vectorize(abs)(x)", r"np\.vectorize"),
    ("y ~ os.system('touch {m}')", r"\.system"),
    ("y ~ sentinel_bump(x)", r"sentinel_bump\(\)"),
    ("y ~ I((lambda v: sentinel_bump(v))(x))", r"lambda is not allowed"),
    ("y ~ I([sentinel_bump(v) for v in x])", r"comprehension"),
    ("y ~ I(sum(sentinel_bump(v) for v in x))", r"comprehension"),
    ("y ~ I((w := x))", r":="),
    ("y ~ I(*x)", r"unpacking with \*"),
    ("y ~ C(g, **{{'levels': ['a']}})", r"unpacking with \*\*"),
    ("y ~ I(f'{{x}}')", r"f-string"),
    ("y ~ x[0]", r"subscript"),
    ("y ~ I(x['__class__'])", r"subscript"),
    ("y ~ I(x if True else x)", r"if \.\.\. else"),
    ("y ~ I(x in (1, 2))", r"'in'"),
    ("y ~ I(b'abc')", r"constant"),
    ("y ~ Q('__builtins__')", r"'__builtins__', which is not a column"),
    ("y ~ Q(__import__('os').getcwd())", r"Q\(\) with anything but one string"),
    ("__import__('os').system('touch {m}') ~ x", r"__import__"),
    ("sentinel_bump(y) ~ x", r"sentinel_bump\(\)"),
]


@pytest.mark.parametrize(("template", "token"), HOSTILE, ids=[t for t, _ in HOSTILE])
def test_hostile_formula_is_refused_before_anything_runs(df, tmp_path, template, token):
    marker = tmp_path / "marker"
    formula = template.format(m=marker)
    before = df.copy(deep=True)
    with pytest.raises(FormulaError, match=token) as info:
        ls.logit(formula, data=df)
    msg = str(info.value)
    assert "\n" not in msg
    assert not marker.exists()
    pd.testing.assert_frame_equal(df, before)
    if "not a column" not in msg and ") is R" not in msg:
        assert "expected" in msg and "got" in msg


@pytest.mark.parametrize(
    "call",
    [
        lambda f, d: ls.mlogit(f.replace("y ~", "mode ~"), data=d),
        lambda f, d: ls.check_separation(f, d),
        lambda f, d: ls.check_separation(f.replace("y ~", "mode ~"), d, multinomial=True),
    ],
    ids=["mlogit", "check_separation", "check_separation-multinomial"],
)
@pytest.mark.parametrize(
    "template",
    [
        "y ~ I(x + 0*__import__('os').system('touch {m}'))",
        "y ~ np.savetxt('{m}', x)",
        "y ~ sentinel_bump(x)",
    ],
)
def test_every_entry_point_refuses(df, tmp_path, call, template):
    marker = tmp_path / "marker"
    with pytest.raises(FormulaError, match=r"not allowed"):
        call(template.format(m=marker), df)
    assert not marker.exists()


def test_cli_refuses_with_one_line_and_exit_2(df, tmp_path):
    marker = tmp_path / "marker"
    csv = tmp_path / "data.csv"
    df.to_csv(csv, index=False)
    script = Path(sys.executable).parent / "logitstats"
    formula = f"y ~ I(x + 0*__import__('os').system('touch {marker}'))"
    run = subprocess.run(
        [str(script), "fit", formula, "--data", str(csv)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith("logitstats: error: formula term")
    assert run.stderr.count("\n") == 1 and "__import__" in run.stderr
    assert "Traceback" not in run.stderr
    assert not marker.exists()


# --------------------------------------------------------------------------- defence in depth


def test_the_namespace_holds_no_builtins_even_without_the_check(df, tmp_path, monkeypatch):
    marker = tmp_path / "marker"
    env = formula_env()
    for code in ["__import__('os')", "open('x')", "eval('1')", "getattr", "sentinel_bump"]:
        with pytest.raises(NameError):
            env.eval(code)
    assert env.eval("__builtins__") == {}
    with pytest.raises(AttributeError, match="not available in a formula"):
        env.eval("np.savetxt")
    # disable the allow-list: the evaluation itself reaches nothing
    monkeypatch.setattr(formula_mod, "check_factors", lambda codes, columns, functions: ["y", "x"])
    formula = f"y ~ I(x + 0*__import__('os').system('touch {marker}'))"
    with pytest.raises(LogitstatsError, match=r"__import__"):
        ls.logit(formula, data=df)
    assert not marker.exists()


def test_stored_environments_are_the_safe_one(df):
    fit = ls.logit("y ~ center(x) + np.log(z) + C(g)", data=df)
    # patsy keeps one environment per factor (subset of ours): all FormulaEnvironment
    states = fit.design.design_info.factor_infos
    assert states
    for factor in states:
        env = fit.design.design_info.factor_infos[factor].state["eval_env"]
        assert isinstance(env, FormulaEnvironment)


def test_predict_runs_the_factor_codes_through_the_same_check(df, monkeypatch):
    fit = ls.logit("y ~ x + np.log(z)", data=df)
    # a design whose stored factor code is hostile (as a tampered model could hold): built by
    # plain patsy with the caller's frame, then handed to predict
    hostile = patsy.ModelDesc.from_formula("~ sentinel_bump(x) + np.log(z)")
    info = design_fast.design_info(
        hostile.rhs_termlist,
        dict(df.items()),
        patsy.EvalEnvironment.capture(0),
        patsy.NAAction(NA_types=[]),
    )
    CALLS[0] = 0  # building it ran the code once; predict must not
    tampered = dataclasses.replace(fit.design, design_info=info)
    with pytest.raises(FormulaError, match=r"sentinel_bump"):
        newdata_matrix(tampered, df)
    seen: list[str] = []
    real = formula_mod.scan_factor
    monkeypatch.setattr(formula_mod, "scan_factor", lambda code: seen.append(code) or real(code))
    fit.predict(df.head(5))
    # every factor code passes the check (the spec checks again before evaluating), nothing else
    assert set(seen) == {"x", "np.log(z)"} and seen[:2] == ["x", "np.log(z)"]


# --------------------------------------------------------------------------- legitimate forms


LEGIT = [
    "y ~ x + np.log(z) + C(g)",
    "y ~ log(z) + exp(x) + sqrt(z) + abs(x)",
    "y ~ np.log1p(z) + np.log10(z) + np.expm1(x) + np.sqrt(z) + np.abs(x)",
    "y ~ np.log2(z) + x",
    "y ~ np.power(z, 2) + np.clip(x, -1, 1) + np.minimum(x, 0) + np.maximum(x, 0)",
    "y ~ np.floor(z) + np.ceil(x) + np.round(x, 1) + np.sign(x) + np.sin(x) + np.cos(x)",
    "y ~ np.tanh(x) + np.arcsinh(x) + np.where(x > 0, x, 0) + I(np.isnan(z) + z**2)",
    "y ~ I(x ** 2) + I(x * np.pi) + I(-z**3) + I(x / z) + I(x // 1) + I(z % 1)",
    "y ~ I((x > 0) & (z < 2)) + I((x > 1) | (z > 2)) + I(~(x > 0)) + I(k == 1)",
    "y ~ C(g, Treatment('b')) + C(g, Sum):x + C(k, Poly) + C(g, Helmert):z",
    "y ~ C(g, Treatment(reference='c')) + C(g, levels=['c', 'b', 'a']):x + C(k, Diff)",
    "y ~ center(x) + standardize(z) + scale(x):z",
    "y ~ bs(x, df=4) + cr(z, df=3) - 1",
    "y ~ bs(x, knots=[-0.5, 0.5], degree=2) + cc(z, df=4) - 1",
    "y ~ (x + z + g)**2",
    "y ~ x * g - 1",
    "y ~ numpy.log(z) + round(x, 1)",
]


@pytest.mark.parametrize("formula", LEGIT)
def test_legitimate_formulas_build_what_patsy_builds(df, formula):
    design = build_design(formula, df, kind="binary")
    rhs = formula.split("~", 1)[1]
    # plain patsy, with the names the formulas use in its (unchecked) environment
    names = {"np": np, "numpy": np, "log": np.log, "exp": np.exp, "sqrt": np.sqrt}
    env = patsy.EvalEnvironment([names])
    expected = patsy.dmatrix(rhs, df, NA_action=patsy.NAAction(NA_types=[]), eval_env=env)
    assert design.column_names == tuple(expected.design_info.column_names)
    if "standardize(" in formula or "scale(" in formula:
        # logitstats' vectorised standardize: patsy's Welford loop to rounding (transforms.py)
        assert_allclose(design.X, np.asarray(expected), rtol=0, atol=ATOL_STANDARDIZE)
    else:
        assert np.array_equal(design.X, np.asarray(expected))


def test_log_without_np_is_np_log(df):
    a = build_design("y ~ log(z)", df, kind="binary")
    b = build_design("y ~ np.log(z)", df, kind="binary")
    assert np.array_equal(a.X, b.X)


def test_scan_is_cached_per_factor_code():
    scan_factor.cache_clear()
    scan_factor("np.log(z)")
    scan_factor("np.log(z)")
    assert scan_factor.cache_info().hits == 1


# --------------------------------------------------------------------------- user functions


def test_user_functions_are_used_at_fit_and_predict(df):
    def cube(v):
        return v**3

    fit = ls.logit("y ~ cube(x) + z", data=df, functions={"cube": cube})
    assert fit.design.functions == ("cube",)
    ref = ls.logit("y ~ I(x ** 3) + z", data=df)
    assert_allclose(fit.params.to_numpy(), ref.params.to_numpy(), rtol=RTOL_PROPERTY)
    new = df.head(7)
    assert_allclose(fit.predict(new).to_numpy(), ref.predict(new).to_numpy(), rtol=RTOL_PROPERTY)
    mfit = ls.mlogit("mode ~ cube(x)", data=df, functions={"cube": cube})
    assert mfit.design.functions == ("cube",)
    info = ls.check_separation("y ~ cube(x)", df, functions={"cube": cube})
    assert info.status.value == "none"


@pytest.mark.parametrize(
    ("functions", "pattern"),
    [
        ([("cube", abs)], r"functions must be a mapping.*got list"),
        ({"my func": abs}, r"every name must be a Python identifier.*got 'my func'"),
        ({"lambda": abs}, r"every name must be a Python identifier.*got 'lambda'"),
        ({"_hidden": abs}, r"names starting with '_' are reserved; got '_hidden'"),
        ({"log": abs}, r"'log' is a formula function already"),
        ({"np": abs}, r"'np' is a formula function already"),
        ({"cube": 3}, r"functions\['cube'\] must be callable; got int"),
    ],
)
def test_bad_functions_are_refused(df, functions, pattern):
    with pytest.raises(FormulaError, match=pattern):
        ls.logit("y ~ x", data=df, functions=functions)


def test_a_column_cannot_be_called(df):
    data = df.assign(log=df["z"])
    with pytest.raises(FormulaError, match=r"calls log\(\), but 'log' is also a column"):
        ls.logit("y ~ log(z)", data=data)
    assert ls.logit("y ~ log", data=data).design.columns_used == ("y", "log")


# --------------------------------------------------------------------------- R habits


def test_caret_inside_an_expression_is_refused_not_xor(df):
    # on an integer column Python's x ^ 2 is XOR: k = 3 gives 1, not 9; never silently
    with pytest.raises(FormulaError, match=r"'\^' inside an expression.*Use \*\* for powers"):
        ls.logit("y ~ I(k^2)", data=df)


def test_caret_between_terms_points_to_double_star(df):
    with pytest.raises(FormulaError, match=r"cannot parse formula.*\(a \+ b\)\*\*2"):
        ls.logit("y ~ (x + z)^2", data=df)
    fit = ls.logit("y ~ (x + z)**2", data=df)
    assert list(fit.params.index) == ["Intercept", "x", "z", "x:z"]


@pytest.mark.parametrize(
    ("formula", "pattern"),
    [
        ("y ~ factor(g)", r"factor\(\) is R.*write C\(g\)"),
        ("y ~ poly(x, 2)", r"poly\(\) is R.*I\(x\*\*2\).*bs\(x, df=\.\.\.\)"),
        ("y ~ ns(x, 3)", r"ns\(\) is R.*cr\(x, df=\.\.\.\)"),
        ("y ~ x + offset(z):x", r"offset\(\) is a term of its own.*'y ~ x \+ offset\(z\)'"),
    ],
)
def test_r_spellings_get_the_logitstats_one(df, formula, pattern):
    with pytest.raises(FormulaError, match=pattern):
        ls.logit(formula, data=df)


def test_dot_means_every_other_column(df):
    num = df[["y", "x", "z", "k"]]
    dot = ls.logit("y ~ .", data=num)
    full = ls.logit("y ~ x + z + k", data=num)
    assert list(dot.params.index) == list(full.params.index)
    assert np.array_equal(dot.design.X, full.design.X)
    minus = ls.logit("y ~ . - k", data=num)
    assert list(minus.params.index) == ["Intercept", "x", "z"]
    # weights/offset/groups columns are not predictors; awkward names are quoted
    data = num.assign(w=1.0, **{"my col": df["k"] * 1.5 + df["x"] ** 2})
    fit = ls.logit("y ~ .", data=data, weights="w")
    assert list(fit.params.index) == ["Intercept", "x", "z", "k", "Q('my col')"]
    # a '.' inside a name, a number or an attribute is not the dot term
    assert ls.logit("y ~ np.log(z) + I(x * 1.5)", data=num).design.columns_used == (
        "y",
        "z",
        "x",
    )


# --------------------------------------------------------------------------- size and quoting


def test_six_hundred_terms_build(df):
    rng = np.random.default_rng(7)
    n, p = 700, 600
    wide = pd.DataFrame(rng.normal(size=(n, p)), columns=[f"v{j}" for j in range(p)])
    wide["y"] = rng.integers(0, 2, n)
    formula = "y ~ 0 + " + " + ".join(f"v{j}" for j in range(p))
    limit = sys.getrecursionlimit()
    design = build_design(formula, wide, kind="binary")
    assert sys.getrecursionlimit() == limit  # raised for the parse only
    assert design.X.shape == (n, p)
    assert np.array_equal(design.X, wide[[f"v{j}" for j in range(p)]].to_numpy())
    long_expr = "y ~ I(" + " + ".join(f"v{j}" for j in range(p)) + ")"
    summed = build_design(long_expr, wide, kind="binary")
    assert summed.X.shape == (n, 2)


def test_q_uses_python_string_semantics(df):
    data = df.rename(columns={"x": "a\\b"})  # the column's name has one backslash
    fit = ls.logit('y ~ Q("a\\\\b")', data=data)
    assert fit.design.columns_used == ("y", "a\\b")
    ref = ls.logit("y ~ x", data=df)
    assert_allclose(fit.params.to_numpy(), ref.params.to_numpy(), rtol=RTOL_PROPERTY)
    assert_allclose(fit.predict(data).to_numpy(), ref.predict(df).to_numpy(), rtol=RTOL_PROPERTY)


def test_environment_keeps_its_class_through_patsy(df):
    env = formula_env({"cube": lambda v: v**3})
    sub = env.with_outer_namespace({"extra": 1}).subset(["cube", "extra"])
    assert isinstance(sub, FormulaEnvironment)
    assert sub.functions.keys() == {"cube"}
    with pytest.raises(NameError):
        sub.eval("__import__")


def test_offset_in_the_formula_is_the_offset_argument(df):
    in_formula = ls.logit("y ~ x + offset(z)", data=df)
    as_argument = ls.logit("y ~ x", data=df, offset="z")
    assert list(in_formula.params.index) == ["Intercept", "x"]
    assert np.array_equal(in_formula.params.to_numpy(), as_argument.params.to_numpy())
    assert in_formula.design.offset_column == "z"
    new = df.head(6).assign(z=2.0)  # predict rereads the newdata's column
    assert np.array_equal(in_formula.predict(new).to_numpy(), as_argument.predict(new).to_numpy())
    quoted = ls.logit("y ~ x + offset(Q('z'))", data=df)
    assert np.array_equal(quoted.params.to_numpy(), as_argument.params.to_numpy())


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda d: ls.logit("y ~ x + offset(z)", data=d, offset="k"), r"offset=\'k\'"),
        (lambda d: ls.logit("y ~ offset(z) + offset(k)", data=d), r"several offset"),
        (lambda d: ls.mlogit("mode ~ x + offset(z)", data=d, offset="k"), r"offset=\'k\'"),
        (lambda d: ls.logit("y ~ x + offset(zz)", data=d), r"'zz', which is not a column.*'z'"),
        (lambda d: ls.logit("y ~ x + offset(np.log(z))", data=d), r"add it to the data first"),
    ],
)
def test_offset_in_the_formula_misuse(df, call, pattern):
    with pytest.raises(FormulaError, match=pattern):
        call(df)
