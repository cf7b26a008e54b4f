"""The one adapter to Great Expectations (the optional `gx` extra): imported on first use, quietly.

GX takes seconds to import and prints progress bars and deprecation warnings; an audit that uses
no expectation must not pay for it, and a user's terminal must never see its noise. Everything
esg-audit asks of GX goes through here: the import, an ephemeral context, an expectation class by
name and a validation run with COMPLETE results.
"""

from __future__ import annotations

import logging
import warnings
from functools import cache
from types import ModuleType
from typing import Any

INSTALL_HINT = 'Great Expectations is not installed; install it with: pip install "esg-audit[gx]"'


class GxMissing(ImportError):
    """Great Expectations is not installed."""


@cache
def great_expectations() -> ModuleType:
    """The `great_expectations` module, imported with its import-time warnings silenced (it
    imports deprecated standard modules) and its loggers kept off the user's terminal.
    Raises GxMissing with the install hint where the extra is not installed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations as gx
            import great_expectations.expectations  # noqa: F401  (registers the catalogue)
    except ImportError as error:
        raise GxMissing(INSTALL_HINT) from error
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    return gx


@cache
def expectation_names() -> frozenset[str]:
    """Every expectation GX registers, by snake-case name (expect_column_values_to_match_regex)."""
    great_expectations()
    from great_expectations.expectations.registry import list_registered_expectation_implementations

    return frozenset(list_registered_expectation_implementations())


def expectation_class(name: str) -> Any:
    """The Expectation class registered under `name`."""
    great_expectations()
    from great_expectations.expectations.registry import get_expectation_impl

    return get_expectation_impl(name)


def expectation_arguments(cls: Any) -> tuple[str, ...]:
    """The kwargs an expectation class accepts: its pydantic fields, less the ones esg-audit
    sets itself or that would change how the result is read (result_format, row_condition...)."""
    fields = getattr(cls, "model_fields", None) or getattr(cls, "__fields__", {})
    return tuple(name for name in fields if name not in _NOT_RULE_ARGUMENTS)


# Fields of every Expectation that are GX's bookkeeping or change how results are reported;
# a rule sets only the expectation's own arguments (column, regex, value_set, mostly, ...).
_NOT_RULE_ARGUMENTS = frozenset({
    "id", "meta", "notes", "result_format", "description", "catch_exceptions", "rendered_content",
    "severity", "windows", "batch_id", "row_condition", "condition_parser",
})


def ephemeral_context() -> Any:
    """An in-memory GX context: no files, no analytics, no progress bars."""
    gx = great_expectations()
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gx.get_context(mode="ephemeral", project_config=config)


def validate_frame(frame: Any, expectation: Any, name: str = "sheet") -> Any:
    """Run one expectation over a whole DataFrame in one call, with COMPLETE results (so that
    `unexpected_index_list` holds the frame's index labels of every unexpected row)."""
    context = ephemeral_context()
    batch = (
        context.data_sources.add_pandas("esg_audit")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe("all rows")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return batch.validate(expectation, result_format={"result_format": "COMPLETE"})
