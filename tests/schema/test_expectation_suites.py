"""The exported Great Expectations suites flag exactly the cells our own validation reports as
data issues, on a tidy (normalised) copy of the sample data with bad values planted in it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from esg_audit.fields import SHEET_FIELDS
from esg_audit.load import load_inputs
from esg_audit.normalise import normalise
from esg_audit.schema.ranges import check_ranges
from esg_audit.schema.rows import drop_repeats

pytest.importorskip("great_expectations")

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 27)
# (sheet, position of the row in the tidy sheet, column, bad value)
PLANTED = [
    ("Suppliers", 0, "renewable_share", 1.7),
    ("Suppliers", 1, "annual_spend", -5.0),
    ("Suppliers", 2, "price_index", 0.0),
    ("Suppliers", 3, "reporting_year", 1980),
    ("Suppliers", 4, "country", "ZZ"),
    ("Suppliers", 5, "on_time_delivery", -0.1),
    ("Certificates", 0, "status", "revoked"),
    ("Emissions", 0, "year", 2999),
    ("Emissions", 1, "scope1_tco2e", -1.0),
]
SHEETS = ("suppliers", "certificates", "emissions", "materials")


@pytest.fixture(scope="module")
def planted():
    loaded = load_inputs([str(ROOT / "sample_data" / "supplier_survey.xlsx")])
    normalised = normalise(loaded, column_map=None, extra_fields={}, as_of=AS_OF)
    changes = {}
    for attribute in SHEETS:
        sheet = getattr(normalised, attribute)
        frame = sheet.frame.copy()
        for name, position, column, value in PLANTED:
            if name.lower() == attribute:
                frame.loc[frame.index[position], column] = value
        changes[attribute] = replace(sheet, frame=frame)
    return replace(normalised, **changes)


@pytest.fixture(scope="module")
def suites(tmp_path_factory):
    from esg_audit.schema.expectations import export_suites

    out = tmp_path_factory.mktemp("suites")
    return {path.stem: json.loads(path.read_text()) for path in export_suites(out, AS_OF, {})}


def gx_unexpected(suite: dict, tidy: pd.DataFrame) -> dict[str, set[tuple[int, str]]]:
    """(Excel row, column) of every unexpected cell, per expectation type; every expectation
    without rows must succeed."""
    import great_expectations as gx

    from esg_audit import gx_adapter

    context = gx_adapter.ephemeral_context()
    batch = (context.data_sources.add_pandas("tidy").add_dataframe_asset("sheet")
             .add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": tidy}))
    loaded = gx.ExpectationSuite(**{k: v for k, v in suite.items() if k != "id"})
    outcome = batch.validate(loaded, result_format={"result_format": "COMPLETE"})
    flagged: dict[str, set[tuple[int, str]]] = {}
    for result in outcome.results:
        config = result.expectation_config
        rows = result.result.get("unexpected_index_list")
        if rows is None:
            assert result.success, config
            continue
        columns = config.kwargs.get("column_list") or [config.kwargs["column"]]
        flagged.setdefault(config.type, set()).update((int(r), c) for r in rows for c in columns[:1])
    return flagged


@pytest.mark.parametrize("attribute", SHEETS)
def test_suite_flags_exactly_our_data_issues(planted, suites, attribute):
    sheet_name = next(name for name in SHEET_FIELDS if name.lower() == attribute)
    sheet = getattr(planted, attribute)
    frame = sheet.frame
    tidy = frame[[f.name for f in SHEET_FIELDS[sheet_name]]].set_axis(frame["_row"].astype(int).to_numpy())
    flagged = gx_unexpected(suites[attribute], tidy)

    header_to_field = {
        (file, name, origin.header): field
        for (file, name), source in sheet.sources.items() for field, origin in source.columns.items()
    }
    _, issues = check_ranges(sheet_name, sheet, AS_OF)
    ours = {(i.issue.row, header_to_field[(i.issue.file, i.issue.sheet, i.issue.column)]) for i in issues}
    value_checks = set().union(*(cells for kind, cells in flagged.items() if "unique" not in kind))
    assert value_checks == ours
    planted_here = {(int(frame["_row"].iloc[p]), c) for s, p, c, _ in PLANTED if s == sheet_name}
    assert planted_here <= ours

    # Unique keys: our validation lists every repeat, GX every row of a repeated key (the
    # first occurrence too, which esg-audit audits).
    keys = {"suppliers": ["supplier_id"], "emissions": ["supplier_id", "year"]}.get(attribute)
    if keys:
        doubled = frame.copy()
        doubled.loc[doubled.index[1], keys] = doubled.loc[doubled.index[0], keys].to_numpy()
        _, repeats = drop_repeats(doubled, sheet, keys, "key")
        tidy = doubled[[f.name for f in SHEET_FIELDS[sheet_name]]].set_axis(doubled["_row"].astype(int).to_numpy())
        unique = next(cells for kind, cells in gx_unexpected(suites[attribute], tidy).items() if "unique" in kind)
        rows = doubled["_row"].astype(int)
        every = set(rows[doubled.duplicated(keys, keep=False)])
        repeats_only = set(rows[doubled.duplicated(keys, keep="first")])
        assert {i.issue.row for i in repeats} == repeats_only
        assert {row for row, _ in unique} == every
        assert int(frame["_row"].iloc[1]) in repeats_only
