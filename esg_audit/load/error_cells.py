"""Excel error values (`#DIV/0!`, `#REF!`, `#N/A` ...) in one sheet of a workbook.

python-calamine gives an error cell as an empty string (its issue #105), which would make a
`#REF!` look like a blank. `find_error_cells(path, sheet)` finds them in the file itself, for
any cell reader to combine with what it read:

- .xlsx/.xlsm: the sheet's XML part is streamed once and searched for `t="e"` (`t='e'` when
  its writer quotes so), an error cell's type (`<c r="B7" t="e">`); each hit is checked to be
  a cell's type attribute. Only a cell written without its `r` reference (legal,
  rare) makes the whole part be parsed, to count cells. The same pass finds the number cells
  whose value rounding to nine decimals changes (`scan_sheet`): fastexcel writes a number as
  text rounded so, and only a value written with ten or more decimals or an exponent can be
  changed by it, so the reader needs no second parse to write such numbers out in full;
- .ods: content.xml is searched for LibreOffice's `calcext:value-type="error"` marker; only when
  it is there is the document parsed to count rows and repeated cells. An error then shows as
  LibreOffice wrote it (`#DIV/0!`, or `Err:502` in some versions);
- .xls: the Workbook stream's cell records whose value is an error (BOOLERR, and FORMULA with
  an error result), searched by byte pattern first and walked record by record only on a hit.

Run after `guards.py` has checked the file: the guards refuse entity declarations and bound
the unpacked size, and parts are read in chunks, so no bomb is expanded here.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO
from xml.etree.ElementTree import ParseError

import numpy as np
from defusedxml.ElementTree import fromstring, iterparse

from esg_audit.load.compound import CompoundFileError, read_stream

ERROR_VALUES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")
_CHUNK = 1 << 22
_MAX_CELL = 1 << 20  # an error cell's XML longer than this is not looked at
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_ODS_ERROR = b'value-type="error"'
_MAX_FOUND = 1_000_000  # error cells repeated past this (a hostile .ods) are not all listed
_REFERENCE = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?([0-9]{1,7})[\"']")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>([^<]*)</(?:[\w.-]+:)?v\s*>")
# A cell's value with ten or more decimals or an exponent: the numbers whose text a reader
# that writes nine decimals may round (0.683571530119101, 1E-10). Every other number's text
# is a plain decimal of at most nine decimals, which such a reader keeps. The search finds a
# superset (one pattern, literal first: it keeps the pass near the cost of unpacking); each
# hit is then checked to be a number cell and its value a number (_NUMBER, as Rust and
# Python both parse it).
_FINE = re.compile(rb"<v>([^<]*(?:\.[0-9]{10}|[Ee])[^<]*)</v>")
# The same in a value tag with attributes (Excel writes `<v xml:space="preserve">` for a
# formula's text), searched only in a chunk that has one.
_V_ATTRIBUTES = re.compile(rb"<v\s")
_FINE_ATTRIBUTED = re.compile(rb"<v\s[^>]*>([^<]*(?:\.[0-9]{10}|[Ee])[^<]*)</v>")
_NUMBER = re.compile(rb"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[Ee][-+]?[0-9]+)?")
_TYPE = re.compile(rb"\st\s*=\s*[\"']([^\"']*)[\"']")
# A number cell's tag as spreadsheet writers write it, and its formula: placed by one match.
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="[0-9]+")?(?: t="n")?>'
                         rb"(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?")
_MAX_ROW = 1 << 24  # a row longer than this is not carried whole: its numbers are read again
# A hit costs about a microsecond and a placed cell a few, what the reader's second parse of
# the numbers costs for some 100 and 300 bytes of the part: a part with more of them than
# this (a workbook whose every number was written with 17 digits) has its numbers read again
# instead. A workbook with one such column in ten is still searched.
_BYTES_PER_HIT, _HIT_SLACK = 200, 5000
_BYTES_PER_FINE, _FINE_SLACK = 400, 2000


@dataclass(frozen=True)
class ErrorPositions:
    """Error cells of one sheet: 0-based row and column (A = 0), and the error as shown."""

    rows: np.ndarray
    columns: np.ndarray
    texts: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)


def _positions(found: list[tuple[int, int, str]]) -> ErrorPositions:
    return ErrorPositions(
        np.fromiter((r for r, _, _ in found), dtype=np.int64, count=len(found)),
        np.fromiter((c for _, c, _ in found), dtype=np.int64, count=len(found)),
        np.array([t for _, _, t in found], dtype=object),
    )


NONE = _positions([])


@dataclass(frozen=True)
class FineNumbers:
    """Number cells of one sheet whose value rounding to nine decimals changes: 0-based row
    and column (A = 0), and the value."""

    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray


NO_NUMBERS = FineNumbers(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))


def changed_by_rounding(values: np.ndarray) -> np.ndarray:
    """Where rounding to nine decimals, as fastexcel's text of a number does, changes the
    value (never where it is NaN)."""
    with np.errstate(all="ignore"):  # 1e300 * 1e9 overflows to inf: not equal, changed
        return ~np.isnan(values) & (np.round(values, 9) != values)


@dataclass(frozen=True)
class SheetScan:
    """What one pass over a sheet's part finds: its error cells and, for an .xlsx or .xlsm
    sheet, its numbers that rounding to nine decimals changes (None when they were not told:
    other formats, or a part written in a form the search does not read)."""

    errors: ErrorPositions
    numbers: FineNumbers | None


def find_error_cells(path: str, sheet: str) -> ErrorPositions:
    """The error cells of worksheet `sheet` (its name as in the workbook) in the workbook at
    `path` (.xlsx, .xlsm, .ods or .xls, told apart by content). A sheet or file this module
    cannot make out has none; the cell reader reports a damaged file."""
    return scan_sheet(path, sheet, numbers=False).errors


def scan_sheet(path: str, sheet: str, numbers: bool = True) -> SheetScan:
    """The error cells of worksheet `sheet` and, when `numbers`, the number cells of an .xlsx
    or .xlsm sheet whose value rounding to nine decimals changes, found in the same pass over
    the sheet's part."""
    with open(path, "rb") as stream:
        magic = stream.read(8)
    try:
        if magic.startswith(b"PK"):
            with zipfile.ZipFile(path) as package:
                names = set(package.namelist())
                if "xl/workbook.xml" in names:
                    return _ooxml(package, sheet, numbers)
                if "content.xml" in names:
                    return SheetScan(_ods(package, sheet), None)
            return SheetScan(NONE, None)
        with open(path, "rb") as stream:
            return SheetScan(_xls(read_stream(stream, ("Workbook", "Book")), sheet), None)
    except (CompoundFileError, zipfile.BadZipFile, KeyError, ValueError, struct.error,
            ParseError, OSError, EOFError, zlib.error, NotImplementedError):
        return SheetScan(NONE, None)


# --- OOXML -----------------------------------------------------------------------------------


def sheet_part(package: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member of worksheet `sheet`, through the workbook's relationships."""
    book = fromstring(package.read("xl/workbook.xml"))
    target_id = next(
        (node.get(f"{{{_REL}}}id") for node in book.iter(f"{{{_MAIN}}}sheet")
         if node.get("name") == sheet),
        None,
    )
    if target_id is None:
        return None
    relations = fromstring(package.read("xl/_rels/workbook.xml.rels"))
    for relation in relations.iter(f"{{{_PACKAGE_REL}}}Relationship"):
        if relation.get("Id") == target_id:
            target = relation.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _ooxml(package: zipfile.ZipFile, sheet: str, numbers: bool) -> SheetScan:
    member = sheet_part(package, sheet)
    if member is None:
        return SheetScan(NONE, NO_NUMBERS)
    with package.open(member) as part:
        head = part.read(4096)
    with package.open(member) as part:
        errors, fine = _scan_part(part, _quote_style(head), numbers and _plain_cells(head))
    if errors is None:  # a cell without its reference: count them all
        with package.open(member) as again:
            errors = list(_ooxml_counted(again))
    return SheetScan(_positions(errors), fine)


def _scan_part(part: IO[bytes], needle: bytes, numbers: bool
               ) -> tuple[list[tuple[int, int, str]] | None, FineNumbers | None]:
    """The error cells of a sheet part, found by `needle` (None when one has no reference)
    and, when `numbers`, its number cells that rounding to nine decimals changes (None when
    they cannot be told here: the reader then reads the sheet's numbers again).

    The part is read in chunks. For the error cells, what follows the last `<` of a chunk (a
    tag that may go on) is carried into the next, so a cell split between chunks is seen
    whole, once. XML allows spaces around `=`, which no spreadsheet writer puts there; one
    bytes.find per chunk is what keeps this pass at the cost of unpacking the part. Number
    cells are searched up to the chunk's last row boundary and the rest is carried, so that
    each value is seen with its cell's tag (`_FineSearch`).
    """
    errors: list[tuple[int, int, str]] = []
    fine = _FineSearch()
    carry, error_from, number_from, seen = b"", 0, 0, 0
    while True:
        chunk = part.read(_CHUNK)
        final, seen = not chunk, seen + len(chunk)
        buffer = carry + chunk
        opened = buffer.rfind(b"<")
        error_next = opened if opened >= 0 and len(buffer) - opened < _MAX_CELL else len(buffer)
        start = error_from
        while (hit := buffer.find(needle, start)) >= 0:
            cell = _cell_at(buffer, hit, final=final)
            if cell == "incomplete":
                opened = buffer.rfind(b"<", 0, hit)
                error_next = opened if len(buffer) - opened < _MAX_CELL else len(buffer)
                break
            if cell != "not a cell":
                if not isinstance(cell, tuple):
                    return None, None
                errors.append(cell)
            start = hit + 5
        number_next = len(buffer)
        if numbers:
            if final:
                cut = len(buffer)
            else:
                cut = buffer.rfind(b"row>", number_from)
                cut = number_from if cut < 0 else cut + 4
            patterns = [_FINE]
            if _V_ATTRIBUTES.search(buffer, number_from, cut):
                patterns.append(_FINE_ATTRIBUTED)
            if not all(fine.search(pattern, buffer, number_from, cut, seen)
                       for pattern in patterns):
                numbers = False
            elif len(buffer) - cut < _MAX_ROW:
                number_next = cut
            else:
                numbers = False
        base = min(error_next, number_next)
        carry, error_from, number_from = buffer[base:], error_next - base, number_next - base
        if final:
            break
    return errors, fine.numbers() if numbers else None


def _plain_cells(head: bytes) -> bool:
    """Whether a part's elements are written without a namespace prefix (`<worksheet>`, not
    `<x:worksheet>`), the form the number search reads."""
    root = re.search(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]", head)
    return root is not None and root.group(1) is None


class _FineSearch:
    """The finely written number cells of one part, gathered chunk by chunk."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.columns: list[int] = []
        self.values: list[float] = []
        self.hits = 0

    def numbers(self) -> FineNumbers:
        return FineNumbers(np.array(self.rows, dtype=np.int64),
                           np.array(self.columns, dtype=np.int64),
                           np.array(self.values, dtype=np.float64))

    def search(self, pattern: re.Pattern[bytes], buffer: bytes, start: int, end: int,
               seen: int) -> bool:
        """Adds the number cells in buffer[start:end] whose value, found by `pattern` written
        with ten or more decimals or an exponent, rounding to nine decimals changes; False
        when one of them cannot be placed (its cell's tag not found, or without a reference)
        or when the part has more hits than `seen` bytes are worth searching.

        The values are told first, together: most finely written numbers (602379.3199999999,
        a writer's 16 digits for 602379.32) are not changed by rounding, and only the others
        are placed, one by one. A value's cell is the last `<c ` before it, unless a cell
        ends in between (a cell written `<c>`, or with other white space after its name, is
        not placed).
        """
        budget = _HIT_SLACK + seen // _BYTES_PER_HIT - self.hits
        hits = [(match.start(), match.group(1))
                for match in islice(pattern.finditer(buffer, start, end), budget + 1)]
        self.hits += len(hits)
        if len(hits) > budget:
            return False
        read = [(at, float(text)) for at, text in hits if _NUMBER.fullmatch(text)]
        if not read:
            return True
        numbers = np.fromiter((number for _, number in read), dtype=np.float64,
                              count=len(read))
        finer = np.flatnonzero(changed_by_rounding(numbers))
        if len(self.values) + len(finer) > _FINE_SLACK + seen // _BYTES_PER_FINE:
            return False
        letters: dict[bytes, int] = {}
        for index in finer.tolist():
            at, number = read[index]
            opened = buffer.rfind(b"<c ", 0, at)
            cell = _PLAIN_CELL.match(buffer, opened, at) if opened >= 0 else None
            if cell is not None and cell.end() == at:
                letter, row = cell.group(1, 2)
            else:
                placed = _placed(buffer, opened, at)
                if placed is None:
                    return False
                if not placed:
                    continue  # text, a boolean, a date or an error: not a number
                letter, row = placed
            column = letters.get(letter)
            if column is None:
                column = letters[letter] = _column_number(letter)
            self.rows.append(int(row) - 1)
            self.columns.append(column)
            self.values.append(number)
        return True


def _placed(buffer: bytes, opened: int, at: int) -> tuple[bytes, bytes] | tuple[()] | None:
    """The column letters and row number of the number cell whose tag starts at `opened` and
    whose value at `at`; () when the cell is not a number; None when it cannot be placed."""
    closed = buffer.find(b">", opened, at)
    if opened < 0 or closed < 0 or buffer[closed - 1] == 47 \
            or buffer.find(b"</c>", closed, at) >= 0:  # 47: "/", an empty cell
        return None
    tag = buffer[opened:closed]
    kind = _TYPE.search(tag)
    if kind is not None and kind.group(1) != b"n":
        return ()
    reference = _REFERENCE.search(tag)
    return None if reference is None else (reference.group(1), reference.group(2))


def _quote_style(head: bytes) -> bytes:
    """The error type as this part's writer quotes attributes: `t="e"`, or `t='e'` when its
    first attribute is single-quoted (a writer quotes all attributes alike)."""
    double, single = head.find(b'="'), head.find(b"='")
    return b"t='e'" if 0 <= single and (double < 0 or single < double) else b't="e"'


def _cell_at(buffer: bytes, hit: int, final: bool) -> tuple[int, int, str] | str | None:
    """The error cell whose type attribute `t="e"` starts at `hit`: (row, column, text); None
    when it has no reference; "not a cell" when `hit` is not a cell's t attribute;
    "incomplete" when the cell goes on past the buffer."""
    if hit == 0 or buffer[hit - 1] not in b" \t\r\n":
        return "not a cell"  # another attribute ending in t (`fmt="e"`), or text
    opened = buffer.rfind(b"<", 0, hit)
    if opened < 0 or buffer.find(b">", opened, hit) >= 0:
        return "not a cell"  # in text or a formula, not inside a tag
    name_end = opened + 1
    while name_end < hit and buffer[name_end] not in b" \t\r\n/>":
        name_end += 1
    name = buffer[opened + 1 : name_end]
    if name != b"c" and not name.endswith(b":c"):
        return "not a cell"
    tag_end = buffer.find(b">", hit)
    if tag_end < 0:
        return "not a cell" if final else "incomplete"
    tag = buffer[opened:tag_end]
    if tag.endswith(b"/"):
        text = "#N/A"  # an error cell without its value: Excel's "value not available"
    else:
        closed = buffer.find(b"</" + name, tag_end)
        if closed < 0:
            return "not a cell" if final else "incomplete"
        value = _VALUE.search(buffer, tag_end, closed)
        text = _unescape(value.group(1).decode("utf-8", "replace")).strip() if value else "#N/A"
    reference = _REFERENCE.search(tag)
    if reference is None:
        return None
    return int(reference.group(2)) - 1, _column_number(reference.group(1)), text


def _unescape(text: str) -> str:
    """The three entities of an XML text node, read as `xml.sax.saxutils.unescape` reads them
    (importing that module loads urllib.request, http.client, ssl and email: about 15 ms of
    every audit's start)."""
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number - 1


def _ooxml_counted(part: IO[bytes]) -> Iterator[tuple[int, int, str]]:
    """Error cells of a part whose cells or rows may lack references, counted as Excel does."""
    row, column = -1, -1
    for event, node in iterparse(part, events=("start", "end")):
        tag = node.tag.rsplit("}", 1)[-1]
        if event == "start" and tag == "row":
            given = node.get("r")
            row, column = (int(given) - 1 if given else row + 1), -1
        elif event == "end" and tag == "c":
            given = node.get("r")
            if given:
                match = _REFERENCE.search(b" r='" + given.encode() + b"'")
                column = _column_number(match.group(1)) if match else column + 1
            else:
                column += 1
            if node.get("t") == "e":
                value = next((v.text for v in node if v.tag.rsplit("}", 1)[-1] == "v"), None)
                yield row, column, (value or "#N/A").strip()
        elif event == "end" and tag == "row":
            node.clear()


# --- OpenDocument ----------------------------------------------------------------------------


def _ods(package: zipfile.ZipFile, sheet: str) -> ErrorPositions:
    with package.open("content.xml") as content:
        if not _contains(content, _ODS_ERROR):
            return NONE
    with package.open("content.xml") as content:
        return _positions(list(_ods_counted(content, sheet)))


def _contains(part: IO[bytes], needle: bytes) -> bool:
    tail = b""
    while chunk := part.read(_CHUNK):
        if needle in tail + chunk[: len(needle)] or needle in chunk:
            return True
        tail = chunk[-len(needle) :]
    return False


def _ods_counted(content: IO[bytes], sheet: str) -> Iterator[tuple[int, int, str]]:
    """Error cells of table `sheet`, counting repeated rows and cells as LibreOffice does."""
    table, cell, row_repeat = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-cell", 1
    covered, row_tag = f"{{{_TABLE}}}covered-table-cell", f"{{{_TABLE}}}table-row"
    inside, row, column, found = False, -1, 0, 0
    for event, node in iterparse(content, events=("start", "end")):
        if node.tag == table:
            if event == "start":
                inside = node.get(f"{{{_TABLE}}}name") == sheet
                row, row_repeat = -1, 1
            elif inside:
                return
            continue
        if not inside:
            if event == "end" and node.tag == row_tag:
                node.clear()
            continue
        if node.tag == row_tag:
            if event == "start":
                row, column = row + row_repeat, 0
                row_repeat = int(node.get(f"{{{_TABLE}}}number-rows-repeated", "1"))
            else:
                node.clear()
        elif event == "end" and node.tag in (cell, covered):
            repeat = int(node.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
            if node.get(f"{{{_CALCEXT}}}value-type") == "error":
                text = "".join(node.itertext()).strip() or "#N/A"
                for r in range(row, row + min(row_repeat, 1 << 20)):
                    for c in range(column, column + min(repeat, 1 << 14)):
                        yield r, c, text
                        found += 1
                        if found >= _MAX_FOUND:
                            return
            column += repeat


# --- BIFF8 (.xls) ----------------------------------------------------------------------------

_BOF, _EOF, _SHEET, _BOOLERR, _FORMULA = 0x0809, 0x000A, 0x0085, 0x0205, 0x0006
_BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!",
                0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
# A BOOLERR record holding an error; a FORMULA record whose cached result is an error.
_BIFF_ERROR_RECORD = re.compile(
    rb"\x05\x02\x08\x00.{6}.\x01|\x06\x00.{8}\x02.{5}\xff\xff", re.DOTALL
)


def _xls(workbook: bytes, sheet: str) -> ErrorPositions:
    if not _BIFF_ERROR_RECORD.search(workbook):
        return NONE
    offset = _xls_sheet_offset(workbook, sheet)
    if offset is None:
        return NONE
    found: list[tuple[int, int, str]] = []
    for kind, body in _records(workbook, offset):
        if kind == _EOF:
            break
        if kind == _BOOLERR and len(body) >= 8 and body[7] == 1:
            row, column = struct.unpack_from("<HH", body)
            found.append((row, column, _BIFF_ERRORS.get(body[6], "#N/A")))
        elif (kind == _FORMULA and len(body) >= 14 and body[6] == 2
              and body[12:14] == b"\xff\xff"):
            row, column = struct.unpack_from("<HH", body)
            found.append((row, column, _BIFF_ERRORS.get(body[8], "#N/A")))
    return _positions(found)


def _records(workbook: bytes, offset: int) -> Iterator[tuple[int, bytes]]:
    while offset + 4 <= len(workbook):
        kind, size = struct.unpack_from("<HH", workbook, offset)
        yield kind, workbook[offset + 4 : offset + 4 + size]
        offset += 4 + size


def _xls_sheet_offset(workbook: bytes, sheet: str) -> int | None:
    """Where the BOF record of worksheet `sheet` starts, from the globals' BOUNDSHEET records."""
    for kind, body in _records(workbook, 0):
        if kind == _EOF:
            return None
        if kind == _SHEET and len(body) >= 8:
            position, length, flags = struct.unpack_from("<IxxBB", body)
            raw = body[8:]
            name = (raw[: 2 * length].decode("utf-16-le", "replace") if flags & 1
                    else raw[:length].decode("latin-1"))
            if name == sheet:
                return position
    return None
