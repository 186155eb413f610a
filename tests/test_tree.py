"""The tests mirror the package (DESIGN.md "Tests"): tests/<pkg>/ for every logitstats/<pkg>/.

Tests of top-level modules (``options.py``, ``examples.py``) sit at the top of
``tests/``; data and tooling folders (golden files, R references, benchmarks) are not packages.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_PACKAGES = {"benchmarks", "golden", "reference"}


def _packages() -> set[str]:
    return {p.parent.name for p in (ROOT / "logitstats").glob("*/__init__.py")}


def _test_dirs() -> set[str]:
    tests = ROOT / "tests"
    return {p.name for p in tests.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}


def test_every_package_has_a_test_folder():
    missing = _packages() - _test_dirs()
    assert not missing, f"add tests/<pkg>/ for: {sorted(missing)}"


def test_every_test_folder_is_a_package():
    stray = _test_dirs() - _packages() - NOT_PACKAGES
    assert not stray, f"tests/ folders that mirror no logitstats/ package: {sorted(stray)}"


def test_the_core_kernels_have_tests_of_their_own():
    # the modules every layer above builds on are tested directly, not only through ls.logit
    for module in [
        "engine/newton",
        "engine/layout",
        "numerics/rank",
        "numerics/parallel",
        "numerics/softmax",
        "engine/binary",
    ]:
        pkg, name = module.split("/")
        assert (ROOT / "logitstats" / pkg / f"{name}.py").exists(), module
        assert (ROOT / "tests" / pkg / f"test_{name}.py").exists(), module
