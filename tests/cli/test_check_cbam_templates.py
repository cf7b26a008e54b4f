"""`check` on a folder with the sample workbook and the Commission's two CBAM templates, joined
to two sample suppliers through `ids:`: the cbam pack scores exactly those suppliers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from esg_audit.cli import cli

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "real" / "cbam"
EXAMPLES = [REAL / "example-cement.xlsx", REAL / "example-steel-blast-furnace.xlsx"]

pytestmark = [
    pytest.mark.real,
    pytest.mark.skipif(not all(p.exists() for p in EXAMPLES), reason="../shared/real/cbam is absent"),
]

CBAM_RULES = [f"CBAM-00{n}" for n in range(1, 10)]
EXPECTED = {  # as of 2026-11-27: both templates report 2023, name no verifier, and claim a
    # carbon price without its instrument and currency; the cement installation is in Türkiye
    # while the importer lists its supplier in Morocco
    "SUP-1014": ["fail", "pass", "pass", "pass", "pass", "pass", "pass", "fail", "fail"],
    "SUP-1018": ["fail", "fail", "pass", "pass", "pass", "pass", "pass", "fail", "fail"],
}


def test_cbam_rules_score_exactly_the_suppliers_the_templates_join(tmp_path):
    folder = tmp_path / "inputs"
    folder.mkdir()
    shutil.copyfile(ROOT / "sample_data" / "supplier_survey.xlsx", folder / "supplier_survey.xlsx")
    for example in EXAMPLES:
        shutil.copyfile(example, folder / example.name)
    columns = tmp_path / "columns.yaml"
    columns.write_text("ids:\n  TR-TRABC-example-cement-producer: SUP-1018\n"
                       "  CN-CNABC-example-blast-steelworks: SUP-1014\n")
    out = tmp_path / "out"

    result = CliRunner().invoke(cli, [
        "check", str(folder), "--columns", str(columns), "--as-of", "2026-11-27",
        "--out", str(out), "--format", "json",
    ])

    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    scored = {
        s["supplier_id"]: [r["status"] for r in s["results"] if r["rule_id"] in CBAM_RULES]
        for s in report["suppliers"]
        if any(r["rule_id"] in CBAM_RULES and r["status"] != "n/a" for r in s["results"])
    }
    assert scored == EXPECTED
    ids = [s["supplier_id"] for s in report["suppliers"]]
    assert not any(i.startswith(("TR-", "CN-")) for i in ids)  # no Suppliers row of their own
    assert not [d for d in report["data_issues"] if "example" in d["file"]]
    findings = {(f["supplier_id"], f["rule_id"]): f["message"] for f in report["findings"]}
    assert findings[("SUP-1014", "CBAM-009")].startswith(
        f"4 of 4 rows fail; first: {folder / 'example-steel-blast-furnace.xlsx'}, sheet "
        "'Summary_Communication', row 26 (CN 72081000): carbon_price_due is 30, ")
