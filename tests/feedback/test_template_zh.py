"""`esg-audit template --lang zh`: Chinese headers, instructions, header comments and choices
that `check` reads back exactly; the English template stays the default."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from tests.acceptance.outputs.helpers import AS_OF, invoke, read_json
from tests.feedback.test_libreoffice import convert, soffice
from tests.feedback.test_round_trip import RULES


@pytest.fixture
def zh_template(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    path = tmp_path / "模板.xlsx"
    run = invoke("template", path, "--rules", rules, "--lang", "zh")
    assert run.exit_code == 0, run.stderr
    return path, rules


def validations(ws) -> dict[str, str]:
    return {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}


def test_chinese_headers_comments_instructions_and_choices(zh_template):
    path, _ = zh_template
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["填写说明", "Suppliers", "Certificates", "Emissions", "Materials"]
    suppliers = book["Suppliers"]
    assert [c.value for c in suppliers[1]][:6] == [
        "供应商编号", "供应商名称", "国家/地区", "供应商类别", "年度采购额", "可再生电力比例 (%)"]
    assert suppliers["A1"].comment.text == "贵司在我方的供应商编号（必填）"
    assert [c.value for c in book["Certificates"][1]] == [
        "供应商编号", "认证标准", "证书编号", "认证机构", "生效日期", "有效期至", "证书状态"]
    assert validations(book["Certificates"])["G2"] == '"有效,暂停,撤销,过期"'
    assert validations(suppliers)["P2"] == '"是,否"'
    instructions = book["填写说明"]
    assert instructions["A1"].value == "供应商 ESG 数据收集表"
    assert [c.value for c in instructions[4]] == ["工作表", "列", "填写内容"]
    assert ["Certificates", "证书状态", "有效、暂停、撤销或过期"] in [
        [c.value for c in row] for row in instructions.iter_rows(min_row=5)]


def test_english_template_is_the_default(tmp_path):
    run = invoke("template", tmp_path / "t.xlsx")
    assert run.exit_code == 0, run.stderr
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames[0] == "Instructions"
    assert book["Suppliers"]["A1"].value == "Supplier ID"
    assert validations(book["Certificates"])["G2"] == '"active,suspended,withdrawn,expired"'


def test_chinese_status_labels_read_back_as_statuses(zh_template, tmp_path):
    path, rules = zh_template
    book = openpyxl.load_workbook(path)
    labels = {"S1": "有效", "S2": "暂停", "S3": "撤销", "S4": "过期", "S5": "已过期"}
    for row, (sid, label) in enumerate(labels.items(), start=2):
        book["Suppliers"].cell(row, 1, sid)
        for column, value in enumerate(["ISO 14001", f"C-{sid}", "CQC", dt.date(2025, 1, 1),
                                        dt.date(2028, 1, 1), label], start=2):
            book["Certificates"].cell(row, column, value)
        book["Certificates"].cell(row, 1, sid)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    run = invoke("check", filled, "--rules", rules, "--as-of", AS_OF, "--out", tmp_path / "r",
                 "--format", "json")
    assert run.exit_code == 0, run.stderr
    report = read_json(tmp_path / "r" / "report.json")
    assert report["data_issues"] == []  # an unknown status would be one
    found = {s["supplier_id"]: {r["rule_id"]: (r["status"], r.get("message"))
                                for r in s["results"]}["ENV-001"] for s in report["suppliers"]}
    assert found["S1"][0] == "pass"
    assert {sid: status for sid, (status, _) in found.items() if sid != "S1"} == {
        "S2": "fail", "S3": "fail", "S4": "fail", "S5": "fail"}


def test_chinese_template_opens_in_libreoffice(zh_template, tmp_path):
    soffice()
    path, _ = zh_template
    again = convert(path, tmp_path / "lo")
    book = openpyxl.load_workbook(again)
    assert book.sheetnames == ["填写说明", "Suppliers", "Certificates", "Emissions", "Materials"]
    assert book["Suppliers"]["A1"].value == "供应商编号"
    assert book["Suppliers"]["A1"].comment.text == "贵司在我方的供应商编号（必填）"
    assert book["填写说明"]["A1"].value == "供应商 ESG 数据收集表"
