"""The entry points of the command line: ``python -m logitstats`` and ``python -m logitstats.cli``
run the same :func:`logitstats.cli.main` as the ``logitstats`` console script."""

from __future__ import annotations

import subprocess
import sys

import pytest

import logitstats as ls
from logitstats import cli
from logitstats.cli import entry


@pytest.mark.parametrize("module", ["logitstats", "logitstats.cli"])
def test_python_dash_m_runs_the_console_script(module):
    # before the split `python -m logitstats` failed: the package had no __main__ module
    done = subprocess.run(
        [sys.executable, "-m", module, "--version"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"logitstats {ls.__version__}\n"


@pytest.mark.parametrize("module", ["logitstats", "logitstats.cli"])
def test_python_dash_m_exit_status_is_main_s(module):
    done = subprocess.run(
        [sys.executable, "-m", module, "fit", "y ~ x", "--data", "no-such-dataset"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("logitstats: error: --data 'no-such-dataset' is neither")


def test_the_package_re_exports_the_entry_point():
    # the console script of pyproject.toml is logitstats.cli:main
    assert cli.main is entry.main
    assert (cli.EXIT_BROKEN_PIPE, cli.EXIT_INTERRUPTED) == (141, 130)
