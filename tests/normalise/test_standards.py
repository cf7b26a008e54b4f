"""Certification standards (SPEC §3: Standards) and their edition year."""

from __future__ import annotations

import pytest

from esg_audit.normalise import normalise_standard


@pytest.mark.parametrize("written, name, edition", [
    ("ISO14001", "ISO 14001", None), ("iso 14001:2015", "ISO 14001", 2015),
    ("ISO-14001", "ISO 14001", None), ("ISO/IEC 27001:2022", "ISO 27001", 2022),
    ("ISO/IEC 27001:2013", "ISO 27001", 2013), ("ISO 45001", "ISO 45001", None),
    ("ISO 50001:2018", "ISO 50001", 2018), ("DIN EN ISO 9001:2015", "ISO 9001", 2015),
    ("ISO 14064-1:2018", "ISO 14064-1", 2018), ("ISO 27001-2013", "ISO 27001", 2013),
    ("SA8000", "SA8000", None), ("SA 8000:2014", "SA8000", 2014),
    ("OHSAS 18001:2007", "OHSAS 18001", 2007), ("IATF 16949", "IATF 16949", None),
    ("IEC 62443", "IEC 62443", None), ("  EcoVadis   Gold ", "EcoVadis Gold", None),
])
def test_normalise_standard(written, name, edition):
    assert normalise_standard(written) == (name, edition)


def test_certificates_keep_the_edition_year(kit):
    suppliers = kit.sheet([["Supplier ID", "Name"], ["S1", "A"]])
    certificates = kit.sheet([
        ["Supplier ID", "Standard", "Cert No.", "Status"],
        ["S1", "ISO/IEC 27001:2013", 12345.0, "Active"], ["S1", "iso14001", "C-2", None],
        ["S1", None, "C-3", "SUSPENDED"],
    ], "Certificates")
    data = kit.audit(suppliers, certificates)
    assert kit.column(data, "standard", "certificates") == ["ISO 27001", "ISO 14001", None]
    assert kit.column(data, "standard_edition", "certificates") == [2013, None, None]
    assert str(data.certificates["standard_edition"].dtype) == "Int64"
    assert kit.column(data, "certificate_no", "certificates") == ["12345", "C-2", "C-3"]
    assert kit.column(data, "status", "certificates") == ["active", None, "suspended"]
    assert list(data.certificates.columns) == [
        "supplier_id", "standard", "standard_edition", "certificate_no", "issuer",
        "valid_from", "valid_until", "status", "_file", "_sheet", "_row",
    ]
