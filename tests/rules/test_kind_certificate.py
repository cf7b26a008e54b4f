"""Check kind `certificate` (SPEC §4): validity window, status, issuer, expiry warning."""

from __future__ import annotations

from datetime import date

RULE = """
- id: ENV-001
  title: Valid ISO 14001 certificate
  pillar: environment
  check: {check}
"""


def rule(check: str) -> str:
    return RULE.format(check=check)


def cert(supplier: str, valid_from: str | None, valid_until: str | None, **extra) -> dict:
    row = {"supplier_id": supplier, "standard": "ISO 14001", "certificate_no": f"C-{supplier}",
           "issuer": "SGS", "valid_from": valid_from, "valid_until": valid_until, "status": "active"}
    row.update(extra)
    return row


def suppliers(*ids: str) -> list[dict]:
    return [{"supplier_id": s} for s in ids]


def test_validity_window_is_inclusive_and_expiry_today_warns(data, results):
    audit = data(
        suppliers("S1", "S2", "S3", "S4", "S5"),
        certificates=[
            cert("S1", "2026-11-27", "2030-01-01"),  # valid from the as-of date
            cert("S2", "2024-01-01", "2026-11-27"),  # expires on the as-of date: 0 days, warns
            cert("S3", "2024-01-01", "2026-11-26"),  # expired yesterday
            cert("S4", "2026-11-28", "2030-01-01"),  # valid from tomorrow
            cert("S5", "2024-01-01", "2026-11-28"),  # 1 day left, window 0: pass
        ],
    )
    assert results(rule("{certificate: ISO 14001}"), audit) == {
        "S1": ("pass", "valid ISO 14001 certificate C-S1 until 2030-01-01"),
        "S2": ("warn", "ISO 14001 certificate C-S2 expires 2026-11-27, today"),
        "S3": ("fail", "no valid ISO 14001 certificate"),
        "S4": ("fail", "no valid ISO 14001 certificate"),
        "S5": ("pass", "valid ISO 14001 certificate C-S5 until 2026-11-28"),
    }


def test_warn_within_days_window(data, results):
    audit = data(
        suppliers("S1", "S2", "S3"),
        certificates=[
            cert("S1", "2024-01-01", "2027-02-26"),  # 91 days
            cert("S2", "2024-01-01", "2027-02-25"),  # 90 days
            cert("S3", "2024-01-01", "2026-11-27"),  # 0 days
        ],
    )
    assert results(rule("{certificate: ISO 14001, warn_within_days: 90}"), audit) == {
        "S1": ("pass", "valid ISO 14001 certificate C-S1 until 2027-02-26"),
        "S2": ("warn", "ISO 14001 certificate C-S2 expires 2027-02-25, in 90 days"),
        "S3": ("warn", "ISO 14001 certificate C-S3 expires 2026-11-27, today"),
    }


def test_status_must_be_active_or_blank(data, statuses):
    audit = data(
        suppliers("S1", "S2", "S3", "S4", "S5", "S6"),
        certificates=[
            cert("S1", "2024-01-01", "2030-01-01", status="suspended"),
            cert("S2", "2024-01-01", "2030-01-01", status="withdrawn"),
            cert("S3", "2024-01-01", "2030-01-01", status="expired"),
            cert("S4", "2024-01-01", "2030-01-01", status=None),
            cert("S5", "2024-01-01", "2030-01-01", status="Active"),
            cert("S6", "2024-01-01", "2030-01-01", status="active"),
        ],
    )
    assert statuses(rule("{certificate: ISO 14001}"), audit) == {
        "S1": "fail", "S2": "fail", "S3": "fail", "S4": "pass", "S5": "pass", "S6": "pass",
    }


def test_missing_dates_are_never_valid(data, statuses):
    audit = data(
        suppliers("S1", "S2", "S3"),
        certificates=[
            cert("S1", None, "2030-01-01"),
            cert("S2", "2024-01-01", None),
            cert("S3", None, None),
        ],
    )
    assert statuses(rule("{certificate: ISO 14001}"), audit) == {"S1": "fail", "S2": "fail", "S3": "fail"}


def test_issuers_are_compared_trimmed_and_case_insensitively(data, results):
    audit = data(
        suppliers("S1", "S2", "S3", "S4"),
        certificates=[
            cert("S1", "2024-01-01", "2030-01-01", issuer="tüv süd"),
            cert("S2", "2024-01-01", "2030-01-01", issuer="Cheap Certs Ltd"),
            cert("S3", "2024-01-01", "2030-01-01", issuer=None),
            cert("S4", "2024-01-01", "2030-01-01", issuer="BSI"),
        ],
    )
    check = "{certificate: ISO 14001, issuers: ['TÜV SÜD ', BSI]}"
    assert results(rule(check), audit) == {
        "S1": ("pass", "valid ISO 14001 certificate C-S1 until 2030-01-01"),
        "S2": ("fail", "no valid ISO 14001 certificate from an accepted issuer"),
        "S3": ("fail", "no valid ISO 14001 certificate from an accepted issuer"),
        "S4": ("pass", "valid ISO 14001 certificate C-S4 until 2030-01-01"),
    }


def test_best_valid_certificate_decides(data, results):
    audit = data(
        suppliers("S1", "S2"),
        certificates=[
            cert("S1", "2024-01-01", "2026-12-01", certificate_no="OLD"),  # within the window
            cert("S1", "2025-01-01", "2029-06-30", certificate_no="NEW"),
            cert("S1", "2025-01-01", "2031-01-01", certificate_no="SUS", status="suspended"),
            cert("S2", "2020-01-01", "2025-12-31", certificate_no="LAPSED"),
            cert("S2", "2024-01-01", "2027-01-31", certificate_no=None),
        ],
    )
    assert results(rule("{certificate: ISO 14001, warn_within_days: 90}"), audit) == {
        "S1": ("pass", "valid ISO 14001 certificate NEW until 2029-06-30"),
        "S2": ("warn", "ISO 14001 certificate expires 2027-01-31, in 65 days"),
    }


def test_standard_is_matched_after_normalisation(data, statuses):
    audit = data(
        suppliers("S1", "S2", "S3", "S4"),
        certificates=[
            cert("S1", "2024-01-01", "2030-01-01", standard="ISO 14001"),
            cert("S2", "2024-01-01", "2030-01-01", standard="iso 14001:2015"),
            cert("S3", "2024-01-01", "2030-01-01", standard="ISO 9001"),
            cert("S4", "2024-01-01", "2030-01-01", standard="ISO 140011"),
        ],
    )
    assert statuses(rule("{certificate: ISO14001}"), audit) == {
        "S1": "pass", "S2": "pass", "S3": "fail", "S4": "fail",
    }
    assert statuses(rule("{certificate: 'ISO-14001:2015'}"), audit) == {
        "S1": "pass", "S2": "pass", "S3": "fail", "S4": "fail",
    }


def test_no_certificates_sheet_is_missing_and_an_empty_one_fails(data, results):
    assert results(rule("{certificate: ISO 14001}"), data(suppliers("S1", "S2"))) == {
        "S1": ("missing", "missing: no Certificates sheet in the input"),
        "S2": ("missing", "missing: no Certificates sheet in the input"),
    }
    assert results(rule("{certificate: ISO 14001}"), data(suppliers("S1"), certificates=[])) == {
        "S1": ("fail", "no valid ISO 14001 certificate"),
    }


def test_retired_editions_are_invalid_after_their_last_day(data, statuses):
    def edition_cert(supplier: str, edition: int | None) -> dict:
        return cert(supplier, "2023-01-01", "2027-12-31", standard="ISO 27001", standard_edition=edition)

    audit = data(
        suppliers("S1", "S2", "S3"),
        certificates=[edition_cert("S1", 2013), edition_cert("S2", 2022), edition_cert("S3", None)],
    )
    check = "{certificate: ISO 27001, retired_editions: {2013: 2025-10-31}}"
    assert statuses(rule(check), audit) == {"S1": "fail", "S2": "pass", "S3": "pass"}
    # on the last day the 2013 edition still counts
    assert statuses(rule(check), audit, as_of=date(2025, 10, 31)) == {"S1": "pass", "S2": "pass", "S3": "pass"}


def test_applies_to_false_or_missing_is_na(data, results):
    audit = data(
        [{"supplier_id": "S1", "category": "services"}, {"supplier_id": "S2", "category": "metal"},
         {"supplier_id": "S3"}],
        certificates=[cert("S2", "2024-01-01", "2030-01-01")],
    )
    text = rule("{certificate: ISO 14001}") + "  applies_to: \"category != 'services'\"\n"
    assert results(text, audit) == {
        "S1": ("n/a", ""),
        "S2": ("pass", "valid ISO 14001 certificate C-S2 until 2030-01-01"),
        "S3": ("n/a", ""),
    }
