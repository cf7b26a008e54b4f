"""Check kind `certificate`: the supplier holds a valid certificate of a standard on the as-of date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from esg_audit.limits import MAX_COUNT
from esg_audit.model import AuditData
from esg_audit.rules import messages
from esg_audit.rules.certificates import normalise_standard, valid_rows
from esg_audit.rules.context import ParseContext, as_date, as_text, describe
from esg_audit.rules.kinds.base import FAIL, MISSING, PASS, WARN, CheckKind
from esg_audit.rules.options import Custom, Option, TextList, WholeNumber
from esg_audit.rules.owners import owners
from esg_audit.yaml_reader import YMap

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd


def _standard(value: object, key: str, ctx: ParseContext, line: int) -> str | None:
    text = as_text(value, key, ctx, line)
    if text is None:
        return None
    standard = normalise_standard(text)
    if standard is None:
        ctx.report(f"'{key}': {text!r} is not the name of a standard, e.g. ISO 14001", line)
    return standard


def _retired_editions(value: object, key: str, ctx: ParseContext, line: int) -> tuple[tuple[int, date], ...] | None:
    if not isinstance(value, YMap) or not value:
        ctx.report(
            f"'{key}' must map an edition year to its last valid day, e.g. "
            f"{{2013: 2025-10-31}}, not {describe(value)}",
            line,
        )
        return None
    out = []
    for year, last_day in value.items():
        where = value.line_of(year)
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            ctx.report(f"{key}: {year!r} is not an edition year", where)
            return None
        day = as_date(last_day, f"{key}.{year}", ctx, where)
        if day is None:
            return None
        out.append((year, day))
    return tuple(out)


@dataclass(frozen=True)
class CertificateCheck(CheckKind):
    """A valid certificate of a standard: `certificate: STANDARD`, optional `warn_within_days`
    (default 0), `issuers` and `retired_editions`.

    The standard is matched after normalisation, like the input (`ISO14001` is `ISO 14001`;
    prefix, punctuation and edition year never matter). A certificate is valid when its status
    is active (or blank), `valid_from <= as-of <= valid_until` (both ends inclusive; a missing
    date is never valid), its issuer is one of `issuers` (trimmed, case-insensitive; absent:
    any issuer) and its edition is not retired. The supplier's best valid certificate (the
    latest `valid_until`) decides: pass when it runs more than `warn_within_days` days past the
    as-of date, warn when it expires within that window (0 days, i.e. expiring on the as-of
    date, included), fail when none is valid. `missing` for everyone when no input has a
    Certificates sheet. `retired_editions` maps an edition year to the last day certificates of
    that edition count (the edition is the year written after the standard, e.g.
    `ISO/IEC 27001:2013`; a certificate with no edition written is never retired).

    ```yaml
    - id: ENV-001
      title: Valid ISO 14001 certificate
      pillar: environment
      severity: high
      weight: 10
      applies_to: "category != 'services'"
      check:
        certificate: ISO 14001
        warn_within_days: 90
        issuers: [TÜV SÜD, SGS, BSI, DNV]
        retired_editions: {2004: 2018-09-14}
      remediation: Certify the site's environmental management system to ISO 14001.
    ```
    """

    name = "certificate"
    key = "certificate"
    options = (
        Option("certificate", Custom("standard name", _standard),
               "the standard, e.g. ISO 14001 (edition years and punctuation never matter)",
               required=True, attribute="standard"),
        Option("warn_within_days", WholeNumber(0, MAX_COUNT),
               "warn when the best valid certificate expires within this many days", default=0),
        Option("issuers", TextList(), "accepted certification bodies (absent: any issuer)"),
        Option("retired_editions", Custom("mapping of edition year to date", _retired_editions),
               "edition year -> the last day certificates of that edition count", default=()),
    )

    standard: str
    warn_within_days: int = 0
    issuers: tuple[str, ...] | None = None
    retired_editions: tuple[tuple[int, date], ...] = ()

    def fields(self) -> tuple[str, ...]:
        return ("supplier_id", "standard", "certificate_no", "issuer", "valid_from", "valid_until", "status")

    def evaluate(self, data: AuditData, as_of: date) -> tuple[np.ndarray, messages.Messages]:
        size = len(data.suppliers)
        said = messages.Messages(size)
        if data.certificates is None:
            return np.full(size, MISSING), said.everyone("missing: no Certificates sheet in the input")
        certificates = data.certificates
        valid, valid_until = valid_rows(
            certificates, self.standard, as_of, self.issuers, dict(self.retired_editions)
        )
        # The best certificate of each supplier: the latest valid_until (the first such row).
        owner = owners(data.suppliers, certificates)[valid]
        ends = valid_until.to_numpy(dtype="datetime64[ns]")[valid]
        order = np.lexsort((np.arange(len(ends)), -ends.view(np.int64), owner))
        distinct, first = np.unique(owner[order], return_index=True)
        best = order[first][distinct >= 0]
        holders = distinct[distinct >= 0]

        held = np.zeros(size, dtype=bool)
        held[holders] = True
        until = np.full(size, np.datetime64("NaT"), dtype="datetime64[ns]")
        until[holders] = ends[best]
        days_left = np.full(size, -1, dtype=np.int64)
        days_left[holders] = (ends[best] - np.datetime64(as_of, "ns")) // np.timedelta64(1, "D")
        codes = np.where(~held, FAIL, np.where(days_left > self.warn_within_days, PASS, WARN))

        # A pass names the certificate that passed and its end: more than the rule says.
        source = np.full(size, -1, dtype=np.int64)
        source[holders] = valid[best]  # the row of the certificate shown
        number: messages.Part = ""
        if "certificate_no" in certificates.columns:
            number = messages.picked(certificates["certificate_no"].reset_index(drop=True), source, " ")
        until_text = messages.dates(pd.Series(until))
        left, left_values = pd.factorize(days_left)
        days_text = messages.Coded(left, [
            "today" if d == 0 else f"in {d} days" for d in np.asarray(left_values).tolist()
        ])
        accepted = " from an accepted issuer" if self.issuers is not None else ""
        certificate = f"{self.standard} certificate"
        said.fill(codes == FAIL, f"no valid {certificate}{accepted}")
        said.fill(codes == PASS, "valid ", certificate, number, " until ", until_text)
        said.fill(codes == WARN, certificate, number, " expires ", until_text, ", ", days_text)
        return codes, said
