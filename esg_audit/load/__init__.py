"""Stage 1, load: workbooks (xlsx, xlsm, xls, ods), CSV files and folders -> raw sheets."""

from __future__ import annotations

from collections.abc import Sequence

from esg_audit.model import LoadedInputs


def load_inputs(paths: Sequence[str], *, max_unpacked_mb: int = 1024) -> LoadedInputs:
    """Read every input path (files or folders) into raw sheets with Excel row numbers.

    Raises InputFileError (unreadable file, unsupported format, no Suppliers sheet anywhere)
    or HostileInputError (XML bomb, unpacked size past the limit, encrypted workbook).
    """
    raise NotImplementedError
