"""`esg-audit rules`: the rule author's tools: lint, list, explain and test rule packs."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from esg_audit.cli.options import debug_option
from esg_audit.errors import ConfigError, EsgAuditError, RuleFileErrors

if TYPE_CHECKING:
    from esg_audit.model import Rule, RuleSet
    from esg_audit.rules.options import Option
    from esg_audit.rules.testing import CaseOutcome

# The rules package is imported inside the commands, so that `esg-audit --help` and
# `--version` do not parse the expression language's modules.

LIST_COLUMNS = ("id", "title", "pillar", "severity", "weight", "pack")

paths_argument = click.argument("paths", nargs=-1, type=click.Path(exists=True))


def _paths(paths: Sequence[str]) -> list[str]:
    """The paths given, or the shipped packs."""
    from esg_audit.rules import default_rules_path

    return list(paths) or [str(default_rules_path())]


def _load(paths: Sequence[str]) -> RuleSet:
    """Load rule files; on errors print each as `file:line: rule-id: message` and exit 2."""
    from esg_audit.rules import load_rules

    try:
        return load_rules(_paths(paths))
    except RuleFileErrors as errors:
        _exit_with(errors)


def _exit_with(errors: RuleFileErrors) -> NoReturn:
    """Print each rule-file error on its own line and exit 2."""
    for error in errors.errors:
        click.echo(f"error: {error}", err=True)
    raise click.exceptions.Exit(2)


def _print_lint_errors(errors: Sequence[EsgAuditError]) -> NoReturn:
    """Lint's findings: one `file:line: rule-id: message` line each on stdout, then exit 2."""
    for error in errors:
        click.echo(str(error))
    count = len(errors)
    click.echo(f"{count} error{'s' if count != 1 else ''}", err=True)
    raise click.exceptions.Exit(2)


def _weight(value: float) -> str:
    return f"{value:g}"


@click.group()
@debug_option
def rules() -> None:
    """Lint, list, explain and test rule packs (files or folders of YAML)."""


@rules.command()
@paths_argument
@debug_option
def lint(paths: tuple[str, ...]) -> None:
    """Report every error in the rule files and their test cases.

    Each error is one line, `file:line: rule-id: message`; exit 2 when there is any. PATHS
    are rule files or folders; default: the shipped packs.
    """
    from esg_audit.rules import load_rules
    from esg_audit.rules.testing import lint_pack_tests

    try:
        ruleset = load_rules(_paths(paths))
    except RuleFileErrors as found:
        _print_lint_errors(found.errors)
    errors = lint_pack_tests(ruleset)
    if errors:
        _print_lint_errors(errors)
    files, count = len(ruleset.packs), len(ruleset.rules)
    click.echo(f"{count} rule{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}: ok")


@rules.command(name="list")
@paths_argument
@click.option("--json", "as_json", is_flag=True, help="Print the rules as a JSON list.")
@debug_option
def list_rules(paths: tuple[str, ...], as_json: bool) -> None:
    """List the rules: id, title, pillar, severity, weight and pack.

    PATHS are rule files or folders; default: the shipped packs.
    """
    ruleset = _load(paths)
    if as_json:
        rows: list[dict[str, Any]] = [
            {
                "id": rule.id,
                "title": rule.title,
                "pillar": rule.pillar,
                "severity": str(rule.severity),
                "weight": rule.weight,
                "pack": rule.pack,
                "knockout": rule.knockout,
                "references": list(rule.references),
            }
            for rule in ruleset.rules
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = [LIST_COLUMNS] + [
        (r.id, r.title, r.pillar, str(r.severity), _weight(r.weight), r.pack) for r in ruleset.rules
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(LIST_COLUMNS))]
    for row in table:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@rules.command()
@click.argument("rule_id")
@click.option(
    "--rules",
    "paths",
    multiple=True,
    type=click.Path(exists=True),
    help="Rule file or folder (repeatable). Default: the shipped packs.",
)
@debug_option
def explain(rule_id: str, paths: tuple[str, ...]) -> None:
    """Show a rule in full, with its check kind's documentation.

    Every field of the rule (defaults filled in, references and rationale included), then the
    documentation and an example of its check kind.
    """
    from esg_audit.rules.context import did_you_mean

    ruleset = _load(paths)
    by_id = {rule.id: rule for rule in ruleset.rules}
    rule = by_id.get(rule_id)
    if rule is None:
        folded = {key.casefold(): key for key in by_id}
        if rule_id.casefold() in folded:
            rule = by_id[folded[rule_id.casefold()]]
        else:
            raise ConfigError(f"no rule '{rule_id}' in the rules loaded{did_you_mean(rule_id, by_id)}")
    click.echo(explain_rule(rule, ruleset), nl=False)


@rules.command(name="test")
@paths_argument
@debug_option
def test_rules(paths: tuple[str, ...]) -> None:
    """Run the packs' own test cases.

    One line per case, ok or FAIL; exit 1 when any fails, 2 when a rule file or a case is
    invalid. PATHS are rule files or folders; default: the shipped packs.
    """
    from esg_audit.rules.testing import run_pack_tests

    ruleset = _load(paths)
    try:
        outcomes = run_pack_tests(ruleset)
    except RuleFileErrors as errors:
        _exit_with(errors)
    for pack in ruleset.packs:
        if not pack.tests:
            click.echo(f"warning: {display_path(pack.path)}: pack {pack.name} has no test cases", err=True)
    for outcome in outcomes:
        for line in outcome_lines(outcome):
            click.echo(line)
    failed = sum(not o.passed for o in outcomes)
    cases = len(outcomes)
    summary = f"{cases} case{'s' if cases != 1 else ''}"
    click.echo(f"{summary}: {failed} failed" if failed else f"{summary}: ok")
    if failed:
        raise click.exceptions.Exit(1)


# --- rendering -----------------------------------------------------------------------------


def outcome_lines(outcome: CaseOutcome) -> list[str]:
    """`ok` or `FAIL` and the case, then one line per failing expectation."""
    where = f"{display_path(outcome.location.file)}:{outcome.location.line}"
    if outcome.passed:
        count = outcome.expectations
        return [f"ok    {outcome.pack}: {outcome.case} ({count} expectation{'s' if count != 1 else ''})"]
    lines = [f"FAIL  {outcome.pack}: {outcome.case} ({where})"]
    if outcome.error is not None:
        lines.append(f"      case {outcome.case}: the input cannot be audited: {outcome.error}")
    for miss in outcome.mismatches:
        text = (
            f"      {miss.rule_id}, case {outcome.case}, supplier {miss.supplier_id}: "
            f"expected {miss.expected}, actual {miss.actual}"
        )
        if miss.message:
            text += f" ({miss.message})"
        lines.append(text)
    for issue in outcome.data_issues:
        column = f", column '{issue.column}'" if issue.column else ""
        value = f", value {issue.value!r}" if issue.value is not None else ""
        lines.append(f"      data issue: {issue.sheet} row {issue.row}{column}{value}: {issue.problem}")
    return lines


def explain_rule(rule: Rule, ruleset: RuleSet) -> str:
    """The rule as YAML with every field, defaults filled in (references and rationale
    included), then its check kind's documentation and example."""
    import yaml

    from esg_audit.rules.docs import check_as_written
    from esg_audit.rules.kinds import kind_description, kind_example

    pack = next((p for p in ruleset.packs if p.name == rule.pack and p.path == rule.location.file), None)
    version = f" {pack.version}" if pack is not None else ""
    fields: dict[str, Any] = {
        "id": rule.id,
        "title": rule.title,
        "pillar": rule.pillar,
        "severity": str(rule.severity),
        "weight": int(rule.weight) if float(rule.weight).is_integer() else rule.weight,
    }
    if rule.applies_to is not None:
        fields["applies_to"] = rule.applies_to.text
    fields["check"] = check_as_written(rule)
    fields["on_missing"] = rule.on_missing
    fields["knockout"] = rule.knockout
    fields["remediation"] = rule.remediation
    fields["references"] = list(rule.references)
    fields["rationale"] = rule.rationale
    kind = type(rule.check)
    body = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=92)
    out = [
        f"# {rule.id}: {rule.title}",
        f"# {display_path(rule.location.file)}:{rule.location.line} (pack {rule.pack}{version})",
        body.rstrip(),
        "",
        f"Check kind: {kind.name}",
        "",
        kind_description(kind),
        "",
        "Options:",
        *(_option_line(option) for option in kind.options),
    ]
    example = kind_example(kind)
    if example:
        out += ["", "Example:", "", *("    " + line if line else "" for line in example.rstrip().splitlines())]
    return "\n".join(out) + "\n"


def _option_line(option: Option) -> str:
    """`  name (type; required | default X): help`, for `rules explain`."""
    from esg_audit.rules.options import describe_default

    default = describe_default(option)
    need = "required" if option.required else (f"default {default}" if default else "optional")
    return f"  {option.name} ({option.type.description}; {need}): {option.help}"


def display_path(path: str) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    relative = os.path.relpath(path) if os.path.isabs(path) else path
    return path if relative.startswith("..") else relative
