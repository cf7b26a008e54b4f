"""Text fields whose pack lists the answers: each cell read as one of them, or a data issue.

`Pass`, ` pass ` and `PASS` are all `pass` as the pack spells it, so that rules compare with
one spelling; any other text is invalid (the cell becomes missing), like text in a number column.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from esg_audit.normalise.cells import arrow_text, by_distinct, text_series
from esg_audit.normalise.column_read import ColumnRead


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_choices(read: ColumnRead, values: tuple[str, ...]) -> ColumnRead:
    """`read` (a text column) with every answer in the pack's spelling; any other answer is
    a problem and missing."""
    spelling = {_fold(v): v for v in values}
    arrow = arrow_text(read.values)
    if arrow is not None:  # each distinct answer once, in Arrow
        encoded = pc.dictionary_encode(arrow)
        chosen_ = pa.array([spelling.get(_fold(str(t))) for t in encoded.dictionary.to_pylist()],
                           type=pa.large_string()).take(encoded.indices)
        unlisted = pc.and_(encoded.indices.is_valid(), chosen_.is_null())
        bad_ = np.flatnonzero(np.asarray(unlisted.to_numpy(zero_copy_only=False), dtype=bool))
        read.problems.set(bad_, f"not one of the listed values ({', '.join(values)})")
        return replace(read, values=text_series(chosen_, read.values.index))
    text = read.values.to_numpy(dtype=object)
    at = np.flatnonzero(read.values.notna().to_numpy())
    if not len(at):
        return read
    chosen = text.copy()
    chosen[at] = by_distinct(text[at], lambda t: spelling.get(_fold(str(t))))
    bad = at[chosen[at] == None]  # noqa: E711
    read.problems.set(bad, f"not one of the listed values ({', '.join(values)})")
    values_read = pd.Series(pd.array(chosen, dtype="string"), index=read.values.index)
    return replace(read, values=values_read)
