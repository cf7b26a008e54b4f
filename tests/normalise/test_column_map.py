"""The `--columns` mapping file: format, and errors that name the file and line."""

from __future__ import annotations

import pytest

from esg_audit.errors import ConfigError
from esg_audit.normalise import ColumnMap, load_column_map


@pytest.fixture
def mapping_file(tmp_path):
    def write(text: str):
        path = tmp_path / "columns.yaml"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_mapping_per_sheet_and_for_all(mapping_file):
    path = mapping_file(
        'columns:\n'
        '  Emissions: {tonnes_co2: scope1_tco2e}\n'
        '  "*": {account_id: supplier_id}\n'
        '  suppliers:\n'
        '    Lieferant: name\n'
        '    2025: reporting_year\n'
        'date_format: day-first\n'
    )
    assert load_column_map(path) == ColumnMap(
        by_sheet={
            "Emissions": {"tonnes_co2": "scope1_tco2e"},
            "*": {"account_id": "supplier_id"},
            "Suppliers": {"Lieferant": "name", "2025": "reporting_year"},
        },
        date_format="day-first",
    )


def test_date_format_alone_and_month_first(mapping_file):
    assert load_column_map(mapping_file("date_format: month-first\n")) == ColumnMap(
        {}, "month-first"
    )


@pytest.mark.parametrize("text, line, message", [
    ("columns:\n  Emissions: {tonnes: scope1_tonnes}\n", 2,
     "unknown field 'scope1_tonnes' for sheet 'Emissions' (did you mean scope1_tco2e?)"),
    ("columns:\n  Emissions:\n    tonnes: renewable_share\n", 3,
     "unknown field 'renewable_share' for sheet 'Emissions'"),
    ("colums:\n  Emissions: {tonnes: scope1_tco2e}\n", 1,
     "unknown key 'colums' (expected columns, date_format, ids)"),
    ("columns:\n  Vendors: {id: supplier_id}\n", 2,
     "unknown sheet 'Vendors' (expected Suppliers, Certificates, Emissions, Materials, "
     "CBAM Goods or \"*\")"),
    ("columns:\n  Emissions: [tonnes]\n", 2, "columns.Emissions must be a mapping"),
    ("columns: [a, b]\n", 1, "columns must be a mapping"),
    ("- columns\n", 1, "the file must be a mapping"),
    ("columns:\n  Emissions: {tonnes: }\n", 2, "expected a single value here"),
    ("date_format: dd/mm\n", 1, "date_format must be one of day-first, month-first, not 'dd/mm'"),
    ("columns:\n  '*': {Vendor: supplier_id, vendor: name}\n", 2,
     "header 'vendor' is mapped twice ('Vendor' -> supplier_id)"),
    ("columns:\n  Emissions: {a: b\n", 3, None),
])
def test_invalid_mapping_names_file_and_line(mapping_file, text, line, message):
    path = mapping_file(text)
    with pytest.raises(ConfigError) as error:
        load_column_map(path)
    assert error.value.location.file == path
    assert error.value.location.line == line
    if message is not None:
        assert error.value.message == message
    else:
        assert error.value.message.startswith("not valid YAML")


def test_empty_or_missing_file(mapping_file, tmp_path):
    with pytest.raises(ConfigError, match="empty column mapping"):
        load_column_map(mapping_file(""))
    with pytest.raises(ConfigError, match="cannot read column mapping"):
        load_column_map(str(tmp_path / "absent.yaml"))


def test_yaml_tags_are_not_constructed(mapping_file):
    path = mapping_file("columns: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(ConfigError) as error:
        load_column_map(path)
    assert error.value.location.line == 1
