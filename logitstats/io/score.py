"""Chunked scoring of a data file with a model file (``logitstats predict``).

The input (CSV, or Parquet with pyarrow) is read ``chunk_rows`` rows at a time, only the
columns the model and ``keep`` need; each chunk is predicted and appended to the output, so the
memory used is bounded by the chunk, not the file: about
``chunk_rows * (8 * (p + k + c) + text)`` bytes for ``p`` design columns, ``k`` columns read,
``c`` output columns (100 000 rows and a 10-column model: ~20 MB), whatever the file size.
The output has one row per input row, in input order; incomplete rows give NaN (or, with
``missing="raise"``, an error naming the columns). The output is written to a temporary file
beside the target and renamed at the end, so an error leaves no partial output.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from logitstats.errors import DataError

__all__ = ["DEFAULT_CHUNK_ROWS", "prediction_frame", "score_file"]

#: rows read, predicted and written at a time
DEFAULT_CHUNK_ROWS = 100_000
_PARQUET = (".parquet", ".pq")


def prediction_frame(pred: pd.Series | pd.DataFrame, kind: str) -> pd.DataFrame:
    """``predict``'s output as flat columns: ``prob`` / ``link`` / ``class`` (binary),
    ``prob_<level>`` (multinomial), ``<statistic>_<level>`` with intervals."""
    if isinstance(pred, pd.Series):
        return pred.to_frame(kind)
    if isinstance(pred.columns, pd.MultiIndex):
        cols = [f"{stat}_{level}" for stat, level in pred.columns]
    elif pred.columns.name == "outcome":
        cols = [f"{kind}_{level}" for level in pred.columns]
    else:
        cols = [str(c) for c in pred.columns]
    out = pred.copy()
    out.columns = cols
    return out


def _needed(result: Any, keep: Sequence[str]) -> list[str]:
    spec = result.spec
    cols = list(spec.data_columns)
    if spec.offset_column is not None:
        cols.append(spec.offset_column)
    return list(dict.fromkeys([*keep, *cols]))


def _text_columns(result: Any, columns: list[str]) -> dict[str, type]:
    """Columns read as text: those of categorical factors with text levels (a level such as
    ``"007"`` must not become the number 7 in a chunk where it looks numeric)."""
    from logitstats.design.formula import scan_factor

    out: dict[str, type] = {}
    for factor in result.spec.factors:
        levels = factor.levels or ()
        if factor.type == "categorical" and levels and all(isinstance(v, str) for v in levels):
            out.update({n: str for n in scan_factor(factor.code).names if n in columns})
    return out


def _header(path: Path) -> list[str]:
    if path.suffix.lower() in _PARQUET:
        return list(_parquet_file(path).schema_arrow.names)
    return [str(c) for c in pd.read_csv(path, nrows=0).columns]


def _parquet_file(path: Path) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is in the test extra
        raise DataError(
            "reading or writing Parquet needs pyarrow: pip install pyarrow (or use CSV)"
        ) from None
    return pq.ParquetFile(path)


def _chunks(
    path: Path, columns: list[str], chunk_rows: int, text: dict[str, type]
) -> Iterator[pd.DataFrame]:
    """Chunks of the needed columns: pandas' chunked C reader for CSV, text columns as text
    (pyarrow's streaming CSV reader was measured slower here: it parses every column)."""
    if path.suffix.lower() in _PARQUET:
        for batch in _parquet_file(path).iter_batches(batch_size=chunk_rows, columns=columns):
            yield batch.to_pandas()
        return
    yield from pd.read_csv(path, usecols=columns, chunksize=chunk_rows, dtype=text or None)


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow is in the test extra
        return None
    return pa


class _Writer:
    """Appends frames to a CSV or Parquet file (at a temporary name until :meth:`close`).

    With pyarrow installed, CSV is written by its C++ writer (about 10x pandas' ``to_csv``;
    floats in the shortest round-trip form, as pandas); every chunk is cast to the first one's
    schema. Without it, pandas writes the CSV.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.tmp = target.with_name(f".{target.name}.partial")
        self.parquet = target.suffix.lower() in _PARQUET
        self.pa = _pyarrow()
        if self.parquet and self.pa is None:  # pragma: no cover - pyarrow is in the test extra
            raise DataError("writing Parquet needs pyarrow: pip install pyarrow (or use CSV)")
        self._writer: Any = None
        self._schema: Any = None
        self._csv: Any = None
        self.rows = 0

    def write(self, frame: pd.DataFrame) -> None:
        if self.pa is None:
            if self._csv is None:
                self._csv = open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
            frame.to_csv(self._csv, header=self.rows == 0, index=False, lineterminator="\n")
        else:
            table = self.pa.Table.from_pandas(frame, preserve_index=False)
            if self._writer is None:
                self._schema = table.schema
                if self.parquet:
                    import pyarrow.parquet as pq

                    self._writer = pq.ParquetWriter(self.tmp, self._schema)
                else:
                    import pyarrow.csv as pcsv

                    self._writer = pcsv.CSVWriter(self.tmp, self._schema)
            self._writer.write_table(table.cast(self._schema))
        self.rows += frame.shape[0]

    def close(self, ok: bool) -> None:
        for handle in (self._writer, self._csv):
            if handle is not None:
                handle.close()
        if ok:
            os.replace(self.tmp, self.target)
        elif self.tmp.exists():
            self.tmp.unlink()


def score_file(
    result: Any,
    data: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    kind: str = "prob",
    conf_level: float | None = None,
    keep: Sequence[str] = (),
    missing: str = "nan",
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> int:
    """Predict every row of the file ``data`` with ``result`` and write ``output``.

    Parameters
    ----------
    result : FitResult
        A fitted or loaded model.
    data, output : path
        CSV or Parquet (by suffix). ``output`` gets the ``keep`` columns, then the prediction
        columns (:func:`prediction_frame`), one row per input row in input order.
    kind, conf_level, missing :
        As :meth:`LogitResult.predict`.
    keep : sequence of str
        Input columns copied to the output (e.g. an id).
    chunk_rows : int
        Rows per chunk (the memory bound, module notes).

    Returns
    -------
    int
        Rows written.

    Raises
    ------
    DataError
        A column is missing (named), a level is unseen, or a row is incomplete with
        ``missing="raise"``; no output is left behind.
    """
    src, dst = Path(data), Path(output)
    header = _header(src)
    needed = _needed(result, keep)
    lacking = [c for c in needed if c not in header]
    if lacking:
        what = "column(s) given to --keep or used by the model"
        raise DataError(
            f"--data {str(src)!r} lacks the {what} {lacking}; expected them in its header; "
            f"got {header[:10]}{' ...' if len(header) > 10 else ''}"
        )
    text = _text_columns(result, needed)
    model_cols = set(_needed(result, ()))
    text.update({c: str for c in keep if c not in model_cols})  # copied verbatim
    return _score(result, src, dst, needed, text, kind, conf_level, keep, missing, chunk_rows)


def _score(
    result: Any,
    src: Path,
    dst: Path,
    needed: list[str],
    text: dict[str, type],
    kind: str,
    conf_level: float | None,
    keep: Sequence[str],
    missing: str,
    chunk_rows: int,
) -> int:
    writer = _Writer(dst)
    ok = False
    try:
        offset = 0
        for chunk in _chunks(src, needed, chunk_rows, text):
            chunk.index = pd.RangeIndex(offset, offset + chunk.shape[0])
            offset += chunk.shape[0]
            pred = result.predict(chunk, kind=kind, conf_level=conf_level, missing=missing)
            frame = prediction_frame(pred, kind)
            if kind == "class":  # levels as text: one column type in every chunk
                frame = (
                    frame.astype(object)
                    .where(frame.notna(), None)
                    .map(lambda v: v if v is None else str(v))
                )
            if keep:
                frame = pd.concat([chunk[list(keep)], frame], axis=1)
            writer.write(frame)
        if writer.rows == 0:  # an empty input: the header only
            empty = result.predict(
                pd.DataFrame({c: np.array([], dtype=float) for c in needed}), kind=kind
            )
            writer.write(
                pd.concat([pd.DataFrame(columns=list(keep)), prediction_frame(empty, kind)])
            )
        ok = True
    finally:
        writer.close(ok)
    return writer.rows
