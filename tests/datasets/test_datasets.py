"""``logitstats.datasets``: the bundled example data, checked against the statsmodels copies
they were taken from (``statsmodels.datasets``) and against the derivations the catalog states."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from pandas.testing import assert_frame_equal, assert_series_equal

import logitstats as ls
from logitstats.errors import DataError
from tests.tolerances import RTOL_CSV

NAMES = ["spector", "affairs", "anes96", "modechoice", "endometrial"]


def test_names_and_catalog():
    assert ls.datasets.names() == NAMES
    cat = ls.datasets.catalog()
    assert list(cat["name"]) == NAMES
    assert list(cat.columns) == ["name", "rows", "columns", "description", "source", "example"]
    for row in cat.itertuples(index=False):
        assert (row.rows, row.columns) == ls.datasets.load(row.name).shape
        assert row.source and row.description
        assert ls.datasets.info(row.name).example == row.example


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(
        DataError,
        match=r"no bundled dataset named 'spektor'; expected one of "
        r"spector, affairs, anes96, modechoice, endometrial",
    ):
        ls.datasets.load("spektor")


def test_load_returns_a_fresh_frame():
    first = ls.datasets.load("spector")
    first.loc[0, "GPA"] = -1.0
    assert ls.datasets.load("spector").loc[0, "GPA"] != -1.0


def test_spector_equals_statsmodels():
    ours = ls.datasets.load("spector")
    theirs = sm.datasets.spector.load_pandas().data
    assert_frame_equal(ours[list(theirs.columns)], theirs, check_dtype=False)


def test_affairs_equals_statsmodels_fair_with_derived_outcome():
    ours = ls.datasets.load("affairs")
    theirs = sm.datasets.fair.load_pandas().data
    assert_frame_equal(ours[list(theirs.columns)], theirs, check_dtype=False, rtol=RTOL_CSV)
    assert_series_equal(ours["had_affair"], (theirs["affairs"] > 0).astype(int), check_names=False)


def test_anes96_equals_statsmodels_with_derived_columns():
    ours = ls.datasets.load("anes96")
    theirs = sm.datasets.anes96.load_pandas().data
    assert_frame_equal(ours[list(theirs.columns)], theirs, check_dtype=False, rtol=RTOL_CSV)
    # party: Dem (PID 0-2), Ind (3), Rep (4-6); vote_choice: Clinton (0) / Dole (1)
    party = np.select([theirs["PID"] <= 2, theirs["PID"] == 3], ["Dem", "Ind"], "Rep")
    assert (ours["party"].to_numpy() == party).all()
    choice = np.where(theirs["vote"] == 1, "Dole", "Clinton")
    assert (ours["vote_choice"].to_numpy() == choice).all()


def test_modechoice_is_statsmodels_reshaped_one_row_per_traveller():
    ours = ls.datasets.load("modechoice")
    long = sm.datasets.modechoice.load_pandas().data
    modes = {1: "air", 2: "train", 3: "bus", 4: "car"}
    chosen = long[long["choice"] == 1].sort_values("individual")
    assert (ours["mode"].to_numpy() == chosen["mode"].map(modes).to_numpy()).all()
    assert (ours["hinc"].to_numpy() == chosen["hinc"].to_numpy()).all()
    assert (ours["psize"].to_numpy() == chosen["psize"].to_numpy()).all()
    for code, name in modes.items():
        per_mode = long[long["mode"] == code].sort_values("individual")
        assert (ours[f"gc_{name}"].to_numpy() == per_mode["gc"].to_numpy()).all()
        assert (ours[f"ttme_{name}"].to_numpy() == per_mode["ttme"].to_numpy()).all()


def test_endometrial_shows_the_documented_quasi_separation():
    df = ls.datasets.load("endometrial")
    assert df.shape == (79, 4) and list(df.columns) == ["NV", "PI", "EH", "HG"]
    # Heinze & Schemper (2002): all 13 patients with neovasculation have high grade
    table = pd.crosstab(df["NV"], df["HG"])
    assert table.loc[1, 0] == 0 and table.loc[1, 1] == 13
    assert table.loc[0].sum() == 66


@pytest.mark.parametrize("name", ["spector", "affairs"])
def test_binary_catalog_examples_fit(name):
    info = ls.datasets.info(name)
    fit = ls.logit(info.example, ls.datasets.load(name))
    assert fit.converged and fit.n_dropped == 0
    assert np.isfinite(fit.bse.to_numpy()).all()
