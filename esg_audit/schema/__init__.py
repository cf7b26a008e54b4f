"""Stage 3, validate: the column contract of each sheet (the checks of its pandera schema,
run column-wise), checked lazily into data issues; repeated and orphaned rows."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from esg_audit.model import AuditData
from esg_audit.normalise import NormalisedInputs, NormalisedSheet, PlacedIssue
from esg_audit.schema.ranges import check_ranges
from esg_audit.schema.rows import drop_orphans, drop_repeats, supplier_positions

_OWNER = "_supplier_position"  # a column that exists while repeated supplier-years are found


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
    checked: dict[str, tuple[NormalisedSheet, pd.DataFrame]] = {}
    for sheet, normalised_sheet in (
        ("Certificates", normalised.certificates),
        ("Emissions", normalised.emissions),
        ("Materials", normalised.materials),
        ("CBAM Goods", normalised.cbam_goods),
    ):
        if normalised_sheet is not None:
            frame, found = check_ranges(sheet, normalised_sheet, as_of)
            issues += found
            checked[sheet] = (normalised_sheet, frame)
    # Each row's supplier, for every sheet from one hash of the ids: which rows are orphans,
    # and, for the rules, whose rows the others are.
    positions = supplier_positions(audited, [frame["supplier_id"] for _, frame in checked.values()])
    owners = dict(zip(checked, positions, strict=True)) if positions is not None else {}
    others: dict[str, pd.DataFrame | None] = dict.fromkeys(
        ("Certificates", "Emissions", "Materials", "CBAM Goods"))
    kept_owners: list[tuple[pd.DataFrame, np.ndarray]] = []
    for sheet, (normalised_sheet, frame) in checked.items():
        owner = owners.get(sheet)
        frame, found = drop_orphans(frame, normalised_sheet, audited, owner)
        issues += found
        if owner is not None:
            owner = owner[owner >= 0]
        if sheet == "Emissions":
            if owner is None:
                frame, found = drop_repeats(frame, normalised_sheet, ["supplier_id", "year"],
                                            "supplier_id and year")
            else:  # the supplier as its position: integers hash faster than ids
                frame, found = drop_repeats(frame.assign(**{_OWNER: owner}), normalised_sheet,
                                            [_OWNER, "year"], "supplier_id and year")
                owner = frame[_OWNER].to_numpy(dtype=np.int64)
                frame = frame.drop(columns=_OWNER)
            issues += found
        frame = others[sheet] = frame.reset_index(drop=True)
        if owner is not None:
            kept_owners.append((frame, owner))
    issues.sort(key=lambda placed: placed.key)
    suppliers = suppliers.reset_index(drop=True)
    return AuditData(
        suppliers=suppliers,
        certificates=others["Certificates"],
        emissions=others["Emissions"],
        materials=others["Materials"],
        cbam_goods=others["CBAM Goods"],
        inputs=normalised.inputs,
        data_issues=tuple(placed.issue for placed in issues),
        notes=normalised.notes,
        supplier_rows=normalised.supplier_rows,
        readings=normalised.readings,
        supplier_positions=tuple((suppliers, frame, owner) for frame, owner in kept_owners),
    )
