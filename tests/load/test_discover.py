"""Input paths: files as named, folders expanded (sorted, not recursive, hidden and lock files
skipped), and clear errors for what cannot be read."""

from __future__ import annotations

import os

import pytest

from esg_audit.errors import InputFileError
from esg_audit.load import load_inputs
from esg_audit.load.discover import input_files


def test_a_folder_gives_its_supported_files_sorted_by_name(tmp_path, xlsx, xls, suppliers_rows):
    folder = tmp_path / "returns"
    folder.mkdir()
    xlsx(folder / "b-supplier.xlsx", {"Suppliers": suppliers_rows})
    xls(folder / "a-supplier.XLS", {"Suppliers": suppliers_rows})
    (folder / "c-supplier.csv").write_text("supplier_id\nS3\n")
    (folder / "~$b-supplier.xlsx").write_bytes(b"lock")
    (folder / ".hidden.csv").write_text("supplier_id\nS9\n")
    (folder / "notes.txt").write_text("not an input")
    (folder / "sub").mkdir()
    (folder / "sub" / "d.csv").write_text("supplier_id\nS4\n")

    loaded = load_inputs([str(folder)])

    expected = [
        os.path.join(str(folder), name)
        for name in ("a-supplier.XLS", "b-supplier.xlsx", "c-supplier.csv")
    ]
    assert [i.path for i in loaded.inputs] == expected
    assert [s.file for s in loaded.sheets] == expected
    assert [i.rows for i in loaded.inputs] == [2, 2, 1]
    assert [(n.file, n.sheet, n.column, n.note) for n in loaded.notes] == [
        (os.path.join(str(folder), ".hidden.csv"), "", None, "hidden file skipped"),
        (os.path.join(str(folder), "~$b-supplier.xlsx"), "", None,
         "Office lock file (~$…) skipped: it is not a workbook"),
    ]


def test_other_extensions_in_a_folder_are_ignored_without_a_note(tmp_path):
    (tmp_path / "a.csv").write_text("supplier_id\nS1\n")
    (tmp_path / "readme.txt").write_text("hello")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "~$readme.docx").write_bytes(b"lock")

    loaded = load_inputs([str(tmp_path)])

    assert [i.path for i in loaded.inputs] == [os.path.join(str(tmp_path), "a.csv")]
    assert loaded.notes == ()


def test_a_lock_file_named_on_its_own_is_read_as_given(tmp_path):
    named = tmp_path / "~$odd.csv"
    named.write_text("supplier_id\nS1\n")

    loaded = load_inputs([str(named)])

    assert [i.path for i in loaded.inputs] == [str(named)]
    assert loaded.notes == ()


def test_files_and_folders_keep_the_order_given_and_a_file_is_read_once(tmp_path):
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "x.csv").write_text("supplier_id\nS1\n")
    (folder / "y.csv").write_text("supplier_id\nS2\n")
    single = tmp_path / "single.csv"
    single.write_text("supplier_id\nS0\n")

    files = input_files([str(single), str(folder), str(folder / "x.csv"), str(single)])

    assert files == [
        str(single),
        os.path.join(str(folder), "x.csv"),
        os.path.join(str(folder), "y.csv"),
    ]


def test_paths_may_be_pathlike_and_keep_the_form_given(tmp_path, monkeypatch):
    (tmp_path / "suppliers.csv").write_text("supplier_id\nS1\n")
    monkeypatch.chdir(tmp_path)

    loaded = load_inputs([tmp_path / "suppliers.csv", "./suppliers.csv"])

    assert [i.path for i in loaded.inputs] == [str(tmp_path / "suppliers.csv")]
    assert load_inputs(["./suppliers.csv"]).inputs[0].path == "./suppliers.csv"


@pytest.mark.parametrize(
    "name, message",
    [
        ("missing.xlsx", "no such file or folder"),
        ("notes.txt", "unsupported file type '.txt' (supported: .xlsx, .xlsm, .xls, .ods, .csv)"),
        ("README", "unsupported file type '(none)'"),
    ],
)
def test_a_named_file_that_cannot_be_an_input_is_an_error(tmp_path, name, message):
    path = tmp_path / name
    if name != "missing.xlsx":
        path.write_text("hello")

    with pytest.raises(InputFileError) as caught:
        load_inputs([str(path)])

    assert str(caught.value).startswith(f"{path}: {message}")
    assert caught.value.location.file == str(path)


def test_a_folder_without_inputs_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")

    with pytest.raises(InputFileError) as caught:
        load_inputs([str(tmp_path)])

    assert "no workbook or CSV file in" in str(caught.value)
    assert caught.value.location.file == str(tmp_path)


def test_no_paths_is_an_error():
    with pytest.raises(InputFileError, match="no input file or folder given"):
        load_inputs([])
