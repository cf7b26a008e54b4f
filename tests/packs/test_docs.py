"""docs/rules.md is generated from the check kinds and the shipped packs, and kept in sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from esg_audit.rules import load_rules
from esg_audit.rules.docs import main, render_rules_doc
from esg_audit.rules.kinds import KINDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


@pytest.fixture(scope="module")
def page() -> str:
    return render_rules_doc()


def test_docs_rules_md_is_up_to_date(page):
    # When this fails, run `make docs` (python -m esg_audit.rules.docs docs/rules.md).
    assert DOC.read_text(encoding="utf-8") == page


def test_the_page_has_a_section_per_kind_and_per_pack_with_a_row_per_rule(page):
    lines = page.splitlines()
    assert lines[0] == "# Rules and rule packs"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [
        "## How rules work",
        "## Check kinds",
        "## Grading of the shipped packs",
        "## Shipped packs",
    ]
    assert [line for line in lines if line.startswith("### ")] == [
        *(f"### {kind.name}" for kind in KINDS),
        "### business-ethics (2026.11)",
        "### cbam (2026.11)",
        "### conflict-minerals (2026.11)",
        "### deforestation (2026.11)",
        "### ghg-disclosure (2026.11)",
        "### human-rights-due-diligence (2026.11)",
        "### iso-certifications (2026.11)",
        "### ratings (2026.11)",
        "### renewable-electricity (2026.11)",
        "### sbti-trajectory (2026.11)",
        "### sourcing-resilience (2026.11)",
        "### supplier-performance (2026.11)",
    ]
    ruleset = load_rules([str(Path(__file__).resolve().parents[2] / "rules")])
    for rule in ruleset.rules:
        assert sum(line.startswith(f"| {rule.id} | {rule.title} |") for line in lines) == 1


def test_each_kind_example_is_a_yaml_block_of_the_page(page):
    assert page.count("```yaml\n- id: ") == len(KINDS)


def test_a_pack_row_shows_applicability_on_missing_and_references(tmp_path):
    pack = tmp_path / "p.yaml"
    pack.write_text(
        'pack: p\nversion: "1"\ndescription: A | pipe.\nrules:\n'
        "  - id: P-1\n    title: T\n    pillar: environment\n    severity: low\n    weight: 2\n"
        "    applies_to: \"category == 'x'\"\n    check: {required: [name]}\n    on_missing: skip\n"
        "    references: [A, B]\n    rationale: Why.\n    remediation: Do.\n",
        encoding="utf-8",
    )
    lines = render_rules_doc([str(pack)]).splitlines()
    assert "A \\| pipe." in lines
    assert "| P-1 | T | environment | low | 2 | `category == 'x'` | skip | A; B |" in lines
    assert "- **P-1** (`required: [name]`). Why. *Remediation:* Do." in lines


def test_main_writes_the_page(tmp_path, page):
    target = tmp_path / "rules.md"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == page
