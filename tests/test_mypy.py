"""The package type-checks: ``mypy logitstats`` with the configuration in ``pyproject.toml``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_is_clean_on_the_package():
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "logitstats"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "Success: no issues found" in out.stdout
