"""Bundled example datasets, usable by name from Python and from the command line.

>>> from logitstats import datasets
>>> df = datasets.load("spector")
>>> df.shape
(32, 4)
>>> "spector" in datasets.names()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import pandas as pd

from logitstats.errors import DataError

__all__ = ["DatasetInfo", "load", "names", "catalog", "info"]


@dataclass(frozen=True)
class DatasetInfo:
    """Where a bundled dataset comes from and what it holds."""

    name: str
    description: str
    source: str
    example: str


_CATALOG: tuple[DatasetInfo, ...] = (
    DatasetInfo(
        "spector",
        "Spector & Mazzeo (1980): did a new teaching method (PSI) improve grades? 32 students.",
        "statsmodels.datasets.spector (public domain)",
        "GRADE ~ GPA + TUCE + PSI",
    ),
    DatasetInfo(
        "affairs",
        "Fair (1978) extramarital affairs survey, 6366 women; had_affair = (affairs > 0).",
        "statsmodels.datasets.fair (public domain); had_affair derived",
        "had_affair ~ C(rate_marriage) + age + np.log(yrs_married) + C(religious) + educ",
    ),
    DatasetInfo(
        "anes96",
        "American National Election Survey 1996, 944 voters; party = Dem (PID 0-2), "
        "Ind (3), Rep (4-6); vote_choice = Clinton/Dole.",
        "statsmodels.datasets.anes96 (public domain); party and vote_choice derived",
        "party ~ C(ClinLR) + age + income + selfLR",
    ),
    DatasetInfo(
        "modechoice",
        "Greene's travel mode choice (Sydney-Melbourne), 210 travellers; mode chosen "
        "(air/train/bus/car), household income, party size, cost and time per mode.",
        "statsmodels.datasets.modechoice (public domain), reshaped to one row per traveller",
        "mode ~ hinc + psize",
    ),
    DatasetInfo(
        "endometrial",
        "Heinze & Schemper (2002) endometrial cancer grade, 79 patients; NV "
        "(neovasculation) quasi-separates HG.",
        "Heinze & Schemper (2002), Statistics in Medicine 21:2409-2419; as in R's brglm2",
        "HG ~ NV + PI + EH",
    ),
)


def names() -> list[str]:
    """Names of the bundled datasets, in catalog order."""
    return [d.name for d in _CATALOG]


def catalog() -> pd.DataFrame:
    """One row per bundled dataset: name, rows, columns, description, source, example formula."""
    rows = []
    for d in _CATALOG:
        df = load(d.name)
        rows.append(
            {
                "name": d.name,
                "rows": df.shape[0],
                "columns": df.shape[1],
                "description": d.description,
                "source": d.source,
                "example": d.example,
            }
        )
    return pd.DataFrame(rows)


def info(name: str) -> DatasetInfo:
    """The :class:`DatasetInfo` of a bundled dataset."""
    for d in _CATALOG:
        if d.name == name:
            return d
    raise DataError(
        f"no bundled dataset named {name!r}; expected one of {', '.join(names())} "
        "(or pass a path to a CSV file)"
    )


def load(name: str) -> pd.DataFrame:
    """Load a bundled dataset as a new DataFrame.

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Raises
    ------
    DataError
        If there is no dataset of that name.
    """
    info(name)
    with resources.files(__package__).joinpath("data", f"{name}.csv").open("rb") as fh:
        return pd.read_csv(fh)
