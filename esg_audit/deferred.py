"""pandas and numpy, imported on first use, so that commands which never touch supplier data
(`--help`, `--version`, `rules list`, `rules explain`) start without loading them.

A module that parses rule files as well as evaluating them imports the libraries as

    if TYPE_CHECKING:
        import numpy as np
        import pandas as pd
    else:
        from esg_audit.deferred import np, pd

and writes `np.where(...)` and `pd.Series(...)` as usual: the type checker sees the real
modules; at run time the library is imported when the first attribute is looked up, which is
when evaluation starts. Modules that only handle data (loading, scoring, writers) import pandas
directly: they run only when a command needs them.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class DeferredModule:
    """Stands for a module that is imported when one of its attributes is first looked up."""

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not imported yet"
        return f"<deferred module {self._name!r}, {state}>"


np = DeferredModule("numpy")
pd = DeferredModule("pandas")
