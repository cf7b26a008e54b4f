"""Standard names as rules read them, the same way the normaliser reads the input (SPEC §3)."""

from __future__ import annotations

import pytest

from esg_audit.rules.certificates import normalise_standard, standard_edition


@pytest.mark.parametrize(
    ("written", "canonical", "edition"),
    [
        ("ISO14001", "ISO 14001", None),
        ("iso 14001:2015", "ISO 14001", 2015),
        ("ISO-14001", "ISO 14001", None),
        ("ISO/IEC 27001:2022", "ISO 27001", 2022),
        ("ISO/IEC 27001:2013", "ISO 27001", 2013),
        (" ISO 45001 : 2018 ", "ISO 45001", 2018),
        ("ISO 14064-1:2018", "ISO 14064-1", 2018),
        ("DIN EN ISO 14001:2015", "ISO 14001", 2015),
        ("SA 8000", "SA8000", None),
        ("IATF 16949", "IATF 16949", None),
        ("EcoVadis Gold", "EcoVadis Gold", None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_normalise_standard(written, canonical, edition):
    assert normalise_standard(written) == canonical
    assert standard_edition(written) == edition
