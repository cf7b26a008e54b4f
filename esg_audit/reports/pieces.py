"""Long text reports (report.json's lists, findings.csv) made column-wise from a few pieces.

A report line is a row of pieces, one per column, and a column holds few distinct pieces (a
rule's title, a status, a supplier's name once per finding). Each column is a code per row into
its distinct pieces, each rendered once in Python; all the pieces of a report live in one Arrow
string array, and a chunk of lines is one `take` of their codes in row-major order, whose
character data is exactly the chunk's UTF-8 text. Nothing is computed per cell in Python.
`write_chunks` writes the chunks atomically, on a second thread while the next are made.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa

from esg_audit.reports.atomic import atomic_path

WAITING_CHUNKS = 4  # made chunks that may wait for the writing thread


class Pieces:
    """The columns of a report's lines, each a code per row into its distinct pieces of text;
    all the pieces held in one Arrow array, each column's codes shifted to its own pieces."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.columns: list[np.ndarray] = []

    def add(self, codes: np.ndarray, texts: Sequence[str]) -> int:
        """Add a column (codes 0..len(texts)-1 per row); returns its position."""
        self.columns.append(np.asarray(codes, dtype=np.int64) + len(self.texts))
        self.texts.extend(texts)
        return len(self.columns) - 1

    def piece(self, text: str) -> int:
        """The code of one more piece, for a column put together by hand."""
        self.texts.append(text)
        return len(self.texts) - 1

    def done(self) -> pa.Array:
        """All the pieces, as one Arrow array for `text_of`."""
        array = pa.array(self.texts, type=pa.large_string())
        self.texts = []
        return array

    def rows(self, begin: int, stop: int) -> np.ndarray:
        """The codes of rows begin..stop-1, one column each."""
        rows = np.empty((stop - begin, len(self.columns)), dtype=np.int64)
        for k, column in enumerate(self.columns):
            rows[:, k] = column[begin:stop]
        return rows


def text_of(pieces: pa.Array, codes: np.ndarray) -> pa.Buffer | bytes:
    """The pieces at `codes` (row-major), one after the other, as UTF-8 bytes: the character
    data of one `take`, not copied again."""
    taken = pieces.take(pa.array(codes.ravel(), type=pa.int64()))
    _, offsets, data = taken.buffers()
    if data is None:
        return b""
    ends = np.frombuffer(offsets, dtype=np.int64, count=len(taken) + 1, offset=taken.offset * 8)
    return data.slice(int(ends[0]), int(ends[-1] - ends[0]))


def distinct(values: Any) -> tuple[np.ndarray, list[Any]]:
    """Codes 0..k-1 and the k distinct values; NA (None, NaN, NaT) is one of the values, the
    last, as None."""
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        column = pd.Series(values, copy=False)
        codes = column.cat.codes.to_numpy().astype(np.int64)
        uniques: list[Any] = column.cat.categories.tolist()
    else:  # as given: a Series of text is hashed by Arrow, an ndarray of str by pandas
        codes, index = pd.factorize(values, use_na_sentinel=True)
        codes = codes.astype(np.int64)
        uniques = np.asarray(index, dtype=object).tolist()
    if (codes < 0).any():
        codes = np.where(codes < 0, len(uniques), codes)
        uniques.append(None)
    return codes, uniques


def write_chunks(path: Path, chunks: Iterable[bytes | pa.Buffer]) -> None:
    """Write the chunks to `path` atomically (`atomic.atomic_path`), as `write_beside` writes
    them."""
    with atomic_path(path) as temporary, open(temporary, "wb") as handle:
        write_beside(handle, chunks)


def write_beside(handle: BinaryIO, chunks: Iterable[bytes | pa.Buffer]) -> None:
    """Write the chunks on a second thread while the next ones are made: the operating
    system's copy of the file (about half the work for a large report) runs beside the
    rendering, since a write releases the GIL. At most WAITING_CHUNKS chunks wait; an error on
    either side stops both and is raised here."""
    waiting: queue.Queue[bytes | pa.Buffer | None] = queue.Queue(maxsize=WAITING_CHUNKS)
    failed: list[BaseException] = []

    def drain() -> None:
        try:
            while (chunk := waiting.get()) is not None:
                handle.write(chunk)
        except BaseException as error:  # noqa: BLE001 - raised again by the caller
            failed.append(error)
            while waiting.get() is not None:
                pass

    writer = threading.Thread(target=drain, name="report writer", daemon=True)
    writer.start()
    try:
        for chunk in chunks:
            if failed:
                break
            waiting.put(chunk)
    finally:
        waiting.put(None)
        writer.join()
    if failed:
        raise failed[0]
