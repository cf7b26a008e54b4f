"""Rule files and folders into one RuleSet, collecting every error of every file on the way."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from esg_audit.errors import RuleFileError
from esg_audit.model import DeclaredField, Grading, Location, Rule, RulePack, RuleSet
from esg_audit.rules.context import ErrorCollector, ParseContext, as_text, check_keys, describe
from esg_audit.rules.field_values import undeclared_answers
from esg_audit.rules.grading import parse_fields, parse_grading
from esg_audit.rules.rule import parse_rule
from esg_audit.yaml_reader import YamlError, YList, YMap, read_yaml_file

PACK_KEYS = ("pack", "version", "description", "grading", "fields", "rules", "tests")
RULE_FILE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class _Parsed:
    """A rule file as parsed: its pack (None when it has errors) and what the checks across
    files need, also from files with errors, so that one pass reports everything."""

    path: str
    pack: RulePack | None
    rule_ids: tuple[tuple[str, Location], ...]
    grading_line: int | None  # where the file sets `grading`, if it does
    fields: dict[str, DeclaredField]
    fields_lines: dict[str, int]


def rule_files(paths: Sequence[str], errors: ErrorCollector) -> list[str]:
    """The files to load: each file as given, each folder's *.yaml/*.yml sorted by name (not
    recursive; hidden files skipped). A file reached twice is loaded once."""
    files: list[str] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                (p for p in path.iterdir()
                 if p.suffix.lower() in RULE_FILE_SUFFIXES and p.is_file() and not p.name.startswith(".")),
                key=lambda p: p.name,
            )
            if not found:
                errors.collect(RuleFileError("no rule files (*.yaml, *.yml) in this folder", Location(file=str(given))))
        elif path.is_file():
            found = [path]
        else:
            errors.collect(RuleFileError("no such rule file or folder", Location(file=str(given))))
            found = []
        for file in found:
            resolved = file.resolve()
            if resolved not in seen:
                seen.add(resolved)
                files.append(str(file))
    return files


def parse_rule_file(file: str, errors: ErrorCollector) -> _Parsed | None:
    """One rule file into a RulePack; None after reporting its errors."""
    ctx = ParseContext(file=file, errors=errors)
    try:
        document, raw = read_yaml_file(file, "rule file")
    except YamlError as error:
        ctx.report(error.message, error.line)
        return None
    if document is None:
        ctx.report("empty rule file; expected a mapping with pack, version and rules", 1)
        return None
    if not isinstance(document, YMap):
        ctx.report(f"a rule file must be a mapping with pack, version and rules, not {describe(document)}", 1)
        return None

    before = len(errors)
    check_keys(document, PACK_KEYS, ctx, "a rule pack", required=("pack", "version"))
    name = ""
    if "pack" in document:
        name = as_text(document["pack"], "pack", ctx, document.line_of("pack")) or ""
    version = ""
    if "version" in document:
        value = document["version"]
        if isinstance(value, str) and value.strip():
            version = value.strip()
        else:
            hint = f'; quote it: version: "{value}"' if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
            ctx.report(f"version must be text, not {describe(value)}{hint}", document.line_of("version"))
    description = ""
    if document.get("description") is not None:
        description = as_text(document["description"], "description", ctx, document.line_of("description")) or ""
    grading = None
    if "grading" in document:
        grading = parse_grading(document["grading"], document.line_of("grading"), ctx)
    declared: dict[str, DeclaredField] = {}
    if "fields" in document and document["fields"] is not None:
        declared = parse_fields(document["fields"], document.line_of("fields"), ctx)
    types = {name: f.type for name, f in declared.items()}
    tests = _tests(document, ctx)

    rules_ctx = ParseContext(file=file, fields=types, errors=errors)
    rules: list[Rule] = []
    rule_ids: list[tuple[str, Location]] = []
    listed = document.get("rules")
    if listed is not None and not isinstance(listed, YList):
        ctx.report(f"rules must be a list of rule mappings, not {describe(listed)}", document.line_of("rules"))
    entries: YList = listed if isinstance(listed, YList) else YList()
    for index, item in enumerate(entries):
        rule = parse_rule(item, entries.line_of(index), rules_ctx, name)
        if rule is not None:
            rules.append(rule)
        if isinstance(item, YMap) and isinstance(item.get("id"), str) and item["id"].strip():
            rule_id = item["id"].strip()
            rule_ids.append((rule_id, Location(file=file, line=item.line, rule_id=rule_id)))
        if rule is not None:
            undeclared_answers(item, rule.id, declared, rules_ctx)
    pack = None
    if len(errors) == before:
        pack = RulePack(
            name=name,
            version=version,
            description=description,
            path=file,
            sha256=hashlib.sha256(raw).hexdigest(),
            fields=types,
            rules=tuple(rules),
            tests=tests,
            grading=grading,
            declared=declared,
        )
    fields_node = document.get("fields")
    return _Parsed(
        path=file,
        pack=pack,
        rule_ids=tuple(rule_ids),
        grading_line=document.line_of("grading") if "grading" in document else None,
        fields=declared,
        fields_lines={n: fields_node.line_of(n) for n in declared} if isinstance(fields_node, YMap) else {},
    )


def _tests(document: YMap, ctx: ParseContext) -> tuple[YMap, ...]:
    # The cases are kept as written (each a dict that also knows its `.line`); the pack-test
    # runner defines and checks their contents.
    value = document.get("tests")
    if value is None:
        return ()
    line = document.line_of("tests")
    if not isinstance(value, YList):
        ctx.report(f"tests must be a list of test cases (mappings), not {describe(value)}", line)
        return ()
    for index, case in enumerate(value):
        if not isinstance(case, YMap):
            ctx.report(f"tests: case {index + 1} must be a mapping, not {describe(case)}", value.line_of(index))
    return tuple(case for case in value if isinstance(case, YMap))


def load(paths: Sequence[str], errors: ErrorCollector | None = None) -> tuple[RuleSet | None, list[RuleFileError]]:
    """Every rule file under `paths` into a RuleSet, and every error found (file, then line order)."""
    errors = ErrorCollector() if errors is None else errors
    files = rule_files(paths, errors)
    parsed: list[_Parsed] = []
    for file in files:
        result = parse_rule_file(file, errors)
        if result is not None:
            parsed.append(result)
    _cross_file_errors(parsed, errors)
    order = {file: position for position, file in enumerate(files)}
    found = sorted(errors, key=lambda e: (order.get(e.location.file, -1) if e.location else -1,
                                          (e.location.line or 0) if e.location else 0))
    if found:
        return None, found
    packs = tuple(p.pack for p in parsed if p.pack is not None)
    fields: dict[str, str] = {}
    declared: dict[str, DeclaredField] = {}
    for pack in packs:
        fields.update(pack.fields)
        for name, spec in pack.declared.items():
            if name not in declared or (spec.values and not declared[name].values):
                declared[name] = spec
    graded = [pack.grading for pack in packs if pack.grading is not None]
    return RuleSet(
        packs=packs,
        rules=tuple(rule for pack in packs for rule in pack.rules),
        grading=graded[0] if graded else Grading(),
        fields=fields,
        declared=declared,
    ), found


def _cross_file_errors(parsed: list[_Parsed], errors: ErrorCollector) -> None:
    """Duplicate rule ids, a second `grading`, and a field declared with two types or two
    lists of values (a declaration without values takes the other's)."""
    first_rule: dict[str, Location] = {}
    first_grading: str | None = None
    first_field: dict[str, tuple[DeclaredField, str]] = {}
    for item in parsed:
        for rule_id, location in item.rule_ids:
            if rule_id in first_rule:
                other = first_rule[rule_id]
                errors.collect(RuleFileError(
                    f"duplicate rule id '{rule_id}'; first defined at {other.file}:{other.line}", location
                ))
            else:
                first_rule[rule_id] = location
        if item.grading_line is not None:
            if first_grading is None:
                first_grading = item.path
            else:
                errors.collect(RuleFileError(
                    f"grading is set in both {first_grading} and {item.path}; at most one loaded file may set it",
                    Location(file=item.path, line=item.grading_line),
                ))
        for name, spec in item.fields.items():
            first, first_file = first_field.setdefault(name, (spec, item.path))
            where = Location(file=item.path, line=item.fields_lines.get(name))
            if first.type != spec.type:
                errors.collect(RuleFileError(
                    f"fields.{name} is declared as {spec.type} here but as {first.type} in {first_file}",
                    where,
                ))
            elif first.values and spec.values and first.values != spec.values:
                listed = ", ".join(first.values) or "no list of values"
                errors.collect(RuleFileError(
                    f"fields.{name} lists other values here than in {first_file} ({listed})",
                    where,
                ))
