"""Stage 3, validate: the column contract of each sheet (the checks of its pandera schema,
run column-wise), checked lazily into data issues; repeated and orphaned rows."""

from __future__ import annotations

from datetime import date

import pandas as pd

from esg_audit.model import AuditData
from esg_audit.normalise import NormalisedInputs, PlacedIssue
from esg_audit.schema.ranges import check_ranges
from esg_audit.schema.rows import drop_orphans, drop_repeats


def validate(normalised: NormalisedInputs, *, as_of: date) -> AuditData:
    """Check ranges (offending cells become missing), drop repeated suppliers and
    supplier-years, and drop rows of suppliers that are not audited; each is a data issue."""
    issues: list[PlacedIssue] = list(normalised.issues)
    suppliers, found = check_ranges("Suppliers", normalised.suppliers, as_of)
    issues += found
    suppliers, found = drop_repeats(suppliers, normalised.suppliers, ["supplier_id"],
                                    "supplier_id")
    issues += found
    audited = suppliers["supplier_id"]
    others: dict[str, pd.DataFrame | None] = {}
    for sheet, normalised_sheet in (
        ("Certificates", normalised.certificates),
        ("Emissions", normalised.emissions),
        ("Materials", normalised.materials),
        ("CBAM Goods", normalised.cbam_goods),
    ):
        if normalised_sheet is None:
            others[sheet] = None
            continue
        frame, found = check_ranges(sheet, normalised_sheet, as_of)
        issues += found
        frame, found = drop_orphans(frame, normalised_sheet, audited)
        issues += found
        if sheet == "Emissions":
            frame, found = drop_repeats(frame, normalised_sheet, ["supplier_id", "year"],
                                        "supplier_id and year")
            issues += found
        others[sheet] = frame.reset_index(drop=True)
    issues.sort(key=lambda placed: placed.key)
    return AuditData(
        suppliers=suppliers.reset_index(drop=True),
        certificates=others["Certificates"],
        emissions=others["Emissions"],
        materials=others["Materials"],
        cbam_goods=others["CBAM Goods"],
        inputs=normalised.inputs,
        data_issues=tuple(placed.issue for placed in issues),
        notes=normalised.notes,
        supplier_rows=normalised.supplier_rows,
        readings=normalised.readings,
    )
