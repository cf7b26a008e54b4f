"""Excel error values (`#DIV/0!`, `#REF!`, `#N/A` ...) in one sheet of a workbook.

python-calamine gives an error cell as an empty string (its issue #105), which would make a
`#REF!` look like a blank. `find_error_cells(path, sheet)` finds them in the file itself, for
any cell reader to combine with what it read:

- .xlsx/.xlsm: the sheet's XML part is streamed once and searched for `t="e"` (`t='e'` when
  its writer quotes so), an error cell's type (`<c r="B7" t="e">`); each hit is checked to be
  a cell's type attribute. Only a cell written without its `r` reference (legal,
  rare) makes the whole part be parsed, to count cells;
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


def find_error_cells(path: str, sheet: str) -> ErrorPositions:
    """The error cells of worksheet `sheet` (its name as in the workbook) in the workbook at
    `path` (.xlsx, .xlsm, .ods or .xls, told apart by content). A sheet or file this module
    cannot make out has none; the cell reader reports a damaged file."""
    with open(path, "rb") as stream:
        magic = stream.read(8)
    try:
        if magic.startswith(b"PK"):
            with zipfile.ZipFile(path) as package:
                names = set(package.namelist())
                if "xl/workbook.xml" in names:
                    return _ooxml(package, sheet)
                if "content.xml" in names:
                    return _ods(package, sheet)
            return NONE
        with open(path, "rb") as stream:
            return _xls(read_stream(stream, ("Workbook", "Book")), sheet)
    except (CompoundFileError, zipfile.BadZipFile, KeyError, ValueError, struct.error,
            ParseError, OSError, EOFError, zlib.error, NotImplementedError):
        return NONE


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


def _ooxml(package: zipfile.ZipFile, sheet: str) -> ErrorPositions:
    member = sheet_part(package, sheet)
    if member is None:
        return NONE
    found: list[tuple[int, int, str]] = []
    with package.open(member) as part:
        for cell in _error_cell_tags(part):
            if cell is None:  # a cell without its reference: count them all
                with package.open(member) as again:
                    return _positions(list(_ooxml_counted(again)))
            found.append(cell)
    return _positions(found)


def _error_cell_tags(part: IO[bytes]) -> Iterator[tuple[int, int, str] | None]:
    """(row, column, text) of each error cell in a sheet part; None for one without `r`.

    The part is read in chunks; what follows the last `<` of a chunk (a tag that may go on)
    is carried into the next, so a cell split between chunks is seen whole, once. XML allows
    spaces around `=`, which no spreadsheet writer puts there; one bytes.find per chunk is
    what keeps this pass at the cost of unpacking the part.
    """
    carry, needle = b"", b""
    while True:
        chunk = part.read(_CHUNK)
        needle = needle or _quote_style(chunk[:4096])
        buffer, start = carry + chunk, 0
        opened = buffer.rfind(b"<")
        carry = buffer[opened:] if opened >= 0 and len(buffer) - opened < _MAX_CELL else b""
        while (hit := buffer.find(needle, start)) >= 0:
            cell = _cell_at(buffer, hit, final=not chunk)
            if cell == "incomplete":
                opened = buffer.rfind(b"<", 0, hit)
                carry = buffer[opened:] if len(buffer) - opened < _MAX_CELL else b""
                break
            if cell != "not a cell":
                yield cell if isinstance(cell, tuple) else None
            start = hit + 5
        if not chunk:
            return


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
