"""Real data: EU ETS verified emissions (European Commission, EU Transaction Log; CC-BY-4.0)
read as the Emissions sheet of a CSV folder, with a `--columns` mapping. Every "Excluded" cell
is a data issue at its line, and nothing else is flagged."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from esg_audit.model import DataIssue
from esg_audit.normalise import load_column_map, normalise
from esg_audit.schema import validate

REAL = Path(__file__).parents[2] / ".." / "shared" / "real" / "eu-ets" / "verified_emissions.csv"

pytestmark = [
    pytest.mark.real,
    pytest.mark.skipif(not REAL.is_file(), reason="../shared/real is not available"),
]


@pytest.fixture(scope="module")
def records() -> list[dict[str, str]]:
    with REAL.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def audited(tmp_path_factory, records):
    load = pytest.importorskip("esg_audit.load")
    folder = tmp_path_factory.mktemp("eu-ets")
    (folder / "emissions.csv").symlink_to(REAL.resolve())
    accounts = sorted({r["account_id"] for r in records}, key=int)
    with (folder / "suppliers.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["account_id", "name"])
        writer.writerows([a, f"Installation {a}"] for a in accounts)
    columns = folder / "columns.yaml"
    columns.write_text(
        'columns:\n  Emissions: {tonnes_co2: scope1_tco2e}\n  "*": {account_id: supplier_id}\n',
        encoding="utf-8",
    )
    try:
        inputs = load.load_inputs([str(folder)])
    except NotImplementedError:
        pytest.skip("the loader is not written yet")
    as_of = pd.Timestamp("2026-11-27").date()
    normalised = normalise(inputs, column_map=load_column_map(str(columns)), extra_fields={},
                           as_of=as_of)
    return validate(normalised, as_of=as_of), str(folder / "emissions.csv"), accounts


def test_the_data_has_no_repeated_account_year(records):
    repeats = Counter((r["account_id"], r["year"]) for r in records)
    assert len(records) == 167_700
    assert max(repeats.values()) == 1  # so no row is a repeated supplier-year


def test_every_excluded_cell_is_a_data_issue_and_nothing_else(audited, records):
    data, emissions_csv, _ = audited
    expected = [
        DataIssue(emissions_csv, "emissions", line, "tonnes_co2", "Excluded", "not a number")
        for line, record in enumerate(records, start=2)  # line 1 is the header
        if record["tonnes_co2"] == "Excluded"
    ]
    assert len(expected) == 3_486
    assert data.data_issues == tuple(expected)


def test_every_row_is_audited_with_its_values(audited, records):
    data, _, accounts = audited
    assert len(data.suppliers) == len(accounts) == 15_489
    assert data.supplier_rows == 15_489
    emissions = data.emissions
    assert len(emissions) == 167_700
    assert list(emissions["_row"][:3]) == [2, 3, 4]
    assert list(emissions["supplier_id"][:2]) == ["100000", "100000"]
    assert list(emissions["year"][:2]) == [2005, 2006]
    assert list(emissions["scope1_tco2e"][:2]) == [87923.0, 106745.0]
    excluded = [r["tonnes_co2"] == "Excluded" for r in records]
    assert emissions["scope1_tco2e"].isna().tolist() == excluded
    given = [float(r["tonnes_co2"]) for r in records if r["tonnes_co2"] != "Excluded"]
    assert emissions["scope1_tco2e"].dropna().tolist() == given
    assert emissions["scope2_tco2e"].isna().all()
    assert data.notes == ()
