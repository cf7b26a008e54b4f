"""Rules that speak Chinese: `i18n: {zh: {title, remediation}}`, checked by `rules lint`, and
carried by every rule of the shipped packs."""

from __future__ import annotations

import re

from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.rules import default_rules_path, load_rules

HEAD = 'pack: p\nversion: "1"\nrules:\n'
RULE = ("  - id: R-1\n    title: Valid ISO 14001 certificate\n    pillar: e\n"
        "    check: {certificate: ISO 14001}\n    remediation: Certify the site.\n")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_rule_carries_its_chinese_title_and_remediation(write_pack):
    path = write_pack(HEAD + RULE + '    i18n:\n      zh:\n        title: "有效的 ISO 14001 证书"\n'
                      "        remediation: >-\n          按 ISO 14001 认证，\n          并提交证书。\n")
    rule = load_rules((str(path),)).rules[0]
    assert rule.i18n == {"zh": {"title": "有效的 ISO 14001 证书",
                                "remediation": "按 ISO 14001 认证， 并提交证书。"}}
    assert rule.title == "Valid ISO 14001 certificate"


def test_a_rule_without_translations_has_none(write_pack):
    assert load_rules((str(write_pack(HEAD + RULE)),)).rules[0].i18n == {}


def test_lint_reports_unknown_languages_keys_and_empty_texts(write_pack):
    path = write_pack(HEAD + RULE + "    i18n:\n      fr: {title: Certificat}\n"
                      "      zh: {title: 证书, summary: 摘要, remediation: ''}\n")
    result = CliRunner().invoke(cli, ["rules", "lint", str(path)])
    assert result.exit_code == 2
    assert result.stdout.strip().splitlines()[:3] == [
        f"{path}:10: R-1: unknown key 'fr' in i18n (languages)",
        f"{path}:11: R-1: unknown key 'summary' in i18n.zh",
        f"{path}:11: R-1: 'i18n.zh.remediation' must be non-empty text, not ''",
    ]


def test_lint_reports_an_i18n_that_is_not_a_mapping(write_pack):
    path = write_pack(HEAD + RULE + "    i18n: 证书\n")
    result = CliRunner().invoke(cli, ["rules", "lint", str(path)])
    assert result.exit_code == 2
    assert "i18n must be a mapping of language to texts (zh: {title, remediation})" in result.stdout


def test_every_shipped_rule_speaks_chinese():
    rules = load_rules((str(default_rules_path()),)).rules
    assert len(rules) >= 32
    for rule in rules:
        zh = rule.i18n.get("zh", {})
        assert set(zh) == {"title", "remediation"}, rule.id
        assert CJK.search(zh["title"]) and CJK.search(zh["remediation"]), rule.id
        assert zh["title"] != rule.title and zh["remediation"] != rule.remediation, rule.id
