"""Hostile-workbook guards (SPEC §6), run before any parser expands a file.

- zip packages (.xlsx, .xlsm, .ods): the unpacked size declared by the zip directory is
  summed and refused past `--max-unpacked-mb` (calamine's zip reader stops at a member's
  declared size, so the declared total bounds what is expanded); the prolog of every XML
  part is streamed (at most 64 KiB, nothing else) and a DOCTYPE or ENTITY declaration is
  refused as a possible entity bomb; an encrypted ODF package is refused;
- OLE2 compound files: an `EncryptionInfo` stream is a password-encrypted OOXML workbook.
  An encrypted .xls (a FILEPASS record) is reported by calamine as it opens the workbook and
  mapped to the same message in `workbook.py`.

openpyxl, which other parts of esg-audit use on workbooks, refuses entity declarations by
itself only when defusedxml is installed, which is why defusedxml is a dependency.
"""

from __future__ import annotations

import codecs
import zipfile
import zlib
from typing import IO

from esg_audit.errors import HostileInputError, InputFileError
from esg_audit.load.compound import OLE2_MAGIC, CompoundFileError, stream_names
from esg_audit.model import Location

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ENCRYPTED = "encrypted workbook (password-protected); save it without a password"
MAX_PARTS = 10_000  # a real workbook has tens of parts; each part costs a prolog read
PROLOG_BYTES = 64 * 1024
_ODF_MANIFEST = "META-INF/manifest.xml"
_MANIFEST_BYTES = 1024 * 1024


def container_kind(path: str) -> str:
    """The container format from the first bytes: "zip", "ole2" or "other"."""
    try:
        with open(path, "rb") as stream:
            magic = stream.read(8)
    except OSError as error:
        raise InputFileError(
            f"cannot open: {error.strerror or error}", Location(file=path)
        ) from None
    if magic.startswith(ZIP_MAGICS):
        return "zip"
    if magic == OLE2_MAGIC:
        return "ole2"
    return "other"


def _megabytes(size: int) -> str:
    mb = size / 2**20
    return f"{mb:,.0f}" if mb >= 10 else f"{mb:.1f}"


def check_zip_package(path: str, max_unpacked_mb: int) -> None:
    """Refuse a zip-based workbook that is damaged, too large unpacked, or an XML bomb."""
    location = Location(file=path)
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            if len(members) > MAX_PARTS:
                raise HostileInputError(
                    f"the workbook package has {len(members):,} parts (more than "
                    f"{MAX_PARTS:,}); refused as a possible zip bomb",
                    location,
                )
            unpacked = sum(member.file_size for member in members)
            if unpacked > max_unpacked_mb * 2**20:
                raise HostileInputError(
                    f"unpacks to {_megabytes(unpacked)} MB, past the --max-unpacked-mb "
                    f"limit of {max_unpacked_mb} MB",
                    location,
                )
            if any(member.flag_bits & 0x1 for member in members):  # zip-level password
                raise HostileInputError(ENCRYPTED, location)
            for member in members:
                if member.is_dir():
                    continue
                with package.open(member) as part:
                    if declares_entities(part):
                        raise HostileInputError(
                            "XML entity declarations (possible entity bomb) in part "
                            f"{member.filename}",
                            location,
                        )
            if _ODF_MANIFEST in package.namelist():
                with package.open(_ODF_MANIFEST) as manifest:
                    if b"encryption-data" in manifest.read(_MANIFEST_BYTES):
                        raise HostileInputError(ENCRYPTED, location)
    except HostileInputError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        EOFError,
    ) as error:
        raise InputFileError(
            f"not a readable workbook: damaged zip package ({error})", location
        ) from None
    except OSError as error:
        raise InputFileError(f"cannot read: {error.strerror or error}", location) from None


def declares_entities(part: IO[bytes]) -> bool:
    """True when an XML part's prolog holds a DOCTYPE or ENTITY declaration.

    A DOCTYPE may only come before the root element, so the prolog (XML declaration,
    comments, processing instructions, white space) is all that is read. A part that is not
    XML ends the scan at its first byte. A prolog longer than 64 KiB is itself refused: no
    office application writes one.
    """
    head = part.read(PROLOG_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            return len(head) == PROLOG_BYTES  # the prolog fills the whole window
        if not text.startswith("<", position):
            return False
        if text.startswith("<?", position):
            end, skip = text.find("?>", position + 2), 2
        elif text.startswith("<!--", position):
            end, skip = text.find("-->", position + 4), 3
        else:
            upper = text[position : position + 9].upper()
            return upper.startswith(("<!DOCTYPE", "<!ENTITY"))
        if end < 0:
            return len(head) == PROLOG_BYTES
        position = end + skip


def check_compound_file(path: str) -> None:
    """Refuse a compound file holding an encrypted OOXML package."""
    try:
        with open(path, "rb") as stream:
            names = stream_names(stream)
    except CompoundFileError:
        return  # not our verdict to give: the workbook reader reports a damaged file
    except OSError as error:
        raise InputFileError(
            f"cannot read: {error.strerror or error}", Location(file=path)
        ) from None
    if {"EncryptionInfo", "EncryptedPackage"} & names:
        raise HostileInputError(ENCRYPTED, Location(file=path))
