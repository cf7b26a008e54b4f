"""Through real files: CSV folders and workbooks read by the loader, then normalised and
validated (skipped while the loader is not written)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from esg_audit.model import DataIssue
from esg_audit.normalise import load_column_map, normalise
from esg_audit.schema import validate


@pytest.fixture
def through_files(kit):
    load = pytest.importorskip("esg_audit.load")

    def run(*paths, columns=None):
        try:
            inputs = load.load_inputs([str(p) for p in paths])
        except NotImplementedError:
            pytest.skip("the loader is not written yet")
        column_map = load_column_map(str(columns)) if columns else None
        normalised = normalise(inputs, column_map=column_map, extra_fields={}, as_of=kit.AS_OF,
                               date_format=column_map.date_format if column_map else None)
        return validate(normalised, as_of=kit.AS_OF)

    return run


def _values(frame, name):
    return [None if pd.isna(v) else v for v in frame[name].tolist()]


def test_csv_folder(tmp_path, through_files):
    folder = tmp_path / "returned"
    folder.mkdir()
    (folder / "suppliers.csv").write_text(
        "Supplier ID,Name,Country,Annual Spend,On-time Delivery\n"
        'S1,"Acme, Inc.",NA,"1,200.50",95\n'
        "S2,Beta,de,N/A,88\n"
        ",,,,\n"
        "S3,\"Multi\nline\",FR,x,0.5\n"
        "S1,Again,DE,1,90\n",
        encoding="utf-8",
    )
    (folder / "certificates.csv").write_text(
        "Supplier ID;Standard;Valid From;Valid Until;Status\n"
        "S1;ISO14001:2015;2024-01-15;15.01.2027;Active\n"
        "S2;ISO 45001;03/04/2026;2027-01-01;\n"
        "S7;ISO 9001;2024-01-01;2027-01-01;active\n",
        encoding="utf-8",
    )
    data = through_files(folder)
    suppliers_csv = str(folder / "suppliers.csv")
    certificates_csv = str(folder / "certificates.csv")
    assert _values(data.suppliers, "supplier_id") == ["S1", "S2", "S3"]
    assert _values(data.suppliers, "name") == ["Acme, Inc.", "Beta", "Multi\nline"]
    assert _values(data.suppliers, "country") == ["NA", "DE", "FR"]
    assert _values(data.suppliers, "annual_spend") == [1200.5, None, None]
    assert _values(data.suppliers, "on_time_delivery") == [0.95, 0.88, 0.005]
    assert _values(data.suppliers, "_row") == [2, 3, 5]
    assert data.supplier_rows == 4
    assert _values(data.certificates, "standard") == ["ISO 14001", "ISO 45001"]
    assert _values(data.certificates, "valid_until") == [
        pd.Timestamp("2027-01-15"), pd.Timestamp("2027-01-01")]
    assert data.data_issues == (
        DataIssue(certificates_csv, "certificates", 3, "Valid From", "03/04/2026",
                  "ambiguous date: 03/04/2026 reads as 3 April or 4 March; set date_format"),
        DataIssue(certificates_csv, "certificates", 4, "Supplier ID", "S7",
                  "supplier_id not in Suppliers"),
        DataIssue(suppliers_csv, "suppliers", 5, "Annual Spend", "x", "not a number"),
        DataIssue(suppliers_csv, "suppliers", 7, "Supplier ID", "S1",
                  "repeated supplier_id (first at row 2)"),
    )


def test_one_workbook_per_supplier(tmp_path, through_files):
    paths = []
    for n, (sid, share) in enumerate([("S1", 0.4), ("S2", 40), ("S1", 0.2)], start=1):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Suppliers"
        sheet.append(["Supplier data collection"])
        sheet.append(["Supplier ID", "Name", "Renewable Share"])
        sheet.append([sid, f"Supplier {n}", share])
        paths.append(tmp_path / f"{n:02d}-{sid}.xlsx")
        book.save(paths[-1])
    data = through_files(*paths)
    assert _values(data.suppliers, "supplier_id") == ["S1", "S2"]
    assert _values(data.suppliers, "renewable_share") == [0.4, 0.4]
    assert [n.file for n in data.notes] == [str(paths[1])]
    assert data.data_issues == (
        DataIssue(str(paths[2]), "Suppliers", 3, "Supplier ID", "S1",
                  f"repeated supplier_id (first at {paths[0]}, sheet 'Suppliers', row 3)"),
    )


def test_column_mapping_file_with_date_format(tmp_path, through_files):
    (tmp_path / "suppliers.csv").write_text("vendor_key,Name\nV1,A\n", encoding="utf-8")
    (tmp_path / "certificates.csv").write_text(
        "vendor_key,Standard,Valid Until\nV1,ISO 9001,03/04/2026\n", encoding="utf-8")
    columns = tmp_path / "columns.yaml"
    columns.write_text('columns: {"*": {vendor_key: supplier_id}}\ndate_format: day-first\n',
                       encoding="utf-8")
    data = through_files(tmp_path / "suppliers.csv", tmp_path / "certificates.csv",
                         columns=columns)
    assert _values(data.certificates, "valid_until") == [pd.Timestamp("2026-04-03")]
    assert data.data_issues == ()
