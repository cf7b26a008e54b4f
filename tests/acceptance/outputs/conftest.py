"""Fixtures of the §1/§6 acceptance tests (the builders live in helpers.py)."""

from tests.acceptance.outputs.helpers import audit, rules_file, run, workbook  # noqa: F401
