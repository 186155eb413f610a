"""Shared fixtures: bundled datasets and the committed R reference values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import logitstats as ls

REFERENCE_DIR = Path(__file__).parent / "reference"


def load_reference(stem: str) -> dict:
    """The JSON written by ``tests/reference/<stem>.R``."""
    return json.loads((REFERENCE_DIR / f"{stem}.json").read_text())


@pytest.fixture(scope="session")
def spector():
    return ls.datasets.load("spector")


@pytest.fixture(scope="session")
def affairs():
    return ls.datasets.load("affairs")


@pytest.fixture(scope="session")
def anes96():
    return ls.datasets.load("anes96")


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/golden/ instead of comparing with them",
    )


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    """True when the run was started with ``--update-golden``."""
    return bool(request.config.getoption("--update-golden"))
