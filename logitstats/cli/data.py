"""``--data``: a bundled dataset by name, or a CSV / Parquet file by path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from logitstats import datasets
from logitstats.cli.output import one_line
from logitstats.errors import DataError


def load_data(spec: str) -> tuple[pd.DataFrame, str]:
    """A bundled dataset by name, or a CSV / Parquet file by path. Returns (frame, name)."""
    if spec in datasets.names():
        return datasets.load(spec), spec
    path = Path(spec)
    if not path.exists():
        raise DataError(
            f"--data {spec!r} is neither a bundled dataset ({', '.join(datasets.names())}) "
            "nor an existing file"
        )
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            try:
                return pd.read_parquet(path), path.name
            except ImportError:
                raise DataError(
                    "reading Parquet needs pyarrow: pip install pyarrow (or use a CSV file)"
                ) from None
        return pd.read_csv(path), path.name
    except pd.errors.ParserError as exc:
        raise DataError(
            f"cannot read --data {spec!r} as CSV: expected the same number of comma-separated "
            f"fields on every line; got {one_line(str(exc))} (fix that line, or quote fields "
            "that contain commas)"
        ) from None
    except (OSError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"cannot read --data {spec!r}: {one_line(str(exc))}") from None
