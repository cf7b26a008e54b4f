"""Hostile workbooks (SPEC §6) are refused before calamine parses them: each bomb is built here."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from esg_audit.errors import HostileInputError, InputFileError
from esg_audit.load import load_inputs
from esg_audit.load.compound import stream_names
from esg_audit.load.guards import declares_entities

LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)


@pytest.fixture
def book(tmp_path, xlsx, suppliers_rows):
    return xlsx(tmp_path / "source.xlsx", {"Suppliers": suppliers_rows})


def refused(path, reason: str, **options) -> HostileInputError:
    with pytest.raises(HostileInputError) as caught:
        load_inputs([str(path)], **options)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert reason in message, message
    assert caught.value.location.file == str(path)
    return caught.value


def test_billion_laughs_in_a_worksheet_is_refused(tmp_path, book, rezip):
    def inject(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        body = data.decode()
        body = body[body.index("<worksheet") :].replace("<t>Acme</t>", "<t>&lol9;</t>")
        return (LAUGHS + body).encode()

    bomb = rezip(book, tmp_path / "laughs.xlsx", inject)

    error = refused(bomb, "XML entity declarations (possible entity bomb)")
    assert "xl/worksheets/sheet1.xml" in str(error)


def test_a_doctype_behind_a_long_comment_in_content_types_is_refused(tmp_path, book, rezip):
    padding = "<!--" + "x" * 20_000 + "-->\n"

    def inject(name: str, data: bytes) -> bytes:
        if name != "[Content_Types].xml":
            return data
        body = data.decode()
        start = body.index("<Types")
        return (body[:start] + padding + '<!DOCTYPE t [<!ENTITY a "b">]>' + body[start:]).encode()

    refused(rezip(book, tmp_path / "types.xlsm", inject), "in part [Content_Types].xml")


def test_an_entity_declaration_in_an_ods_part_is_refused(tmp_path, ods, rezip, suppliers_rows):
    source = ods(tmp_path / "source.ods", {"Suppliers": suppliers_rows})

    def inject(name: str, data: bytes) -> bytes:
        if name != "content.xml":
            return data
        return data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e "e">]>', 1)

    refused(rezip(source, tmp_path / "bomb.ods", inject), "possible entity bomb")


def test_a_workbook_unpacking_past_the_limit_is_refused(tmp_path, book, rezip):
    padded = rezip(
        book,
        tmp_path / "padded.xlsx",
        lambda name, data: data,
        extra={"xl/media/zeros.bin": bytes(3 * 2**20)},
    )
    assert padded.stat().st_size < 100_000

    refused(
        padded, "unpacks to 3.0 MB, past the --max-unpacked-mb limit of 1 MB", max_unpacked_mb=1
    )
    assert load_inputs([str(padded)], max_unpacked_mb=4).inputs[0].rows == 2


def test_a_member_lying_about_its_size_is_refused_as_damaged(tmp_path, xlsx):
    # Members are read no further than their declared size (by zipfile here and by
    # calamine's zip reader), so the declared total that the limit checks bounds expansion.
    rows = [["supplier_id", "name"]] + [[f"S{i}", "x" * 50] for i in range(2000)]
    path = xlsx(tmp_path / "liar.xlsx", {"Suppliers": rows})
    raw = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    offset = raw.find(name)
    while offset >= 0:
        if raw[offset - 30 : offset - 26] == b"PK\x03\x04":
            struct.pack_into("<I", raw, offset - 30 + 22, 1000)
        elif raw[offset - 46 : offset - 42] == b"PK\x01\x02":
            struct.pack_into("<I", raw, offset - 46 + 24, 1000)
        offset = raw.find(name, offset + 1)
    path.write_bytes(bytes(raw))

    with pytest.raises(InputFileError) as caught:
        load_inputs([str(path)])

    assert str(caught.value) == (
        f"{path}: not a readable workbook: damaged zip package "
        "(Bad CRC-32 for file 'xl/worksheets/sheet1.xml')"
    )
    assert not isinstance(caught.value, HostileInputError)


def test_a_package_of_too_many_parts_is_refused(tmp_path, book, rezip):
    extra = {f"xl/media/p{i}.bin": b"" for i in range(10_001)}

    crowded = rezip(book, tmp_path / "parts.xlsx", lambda n, d: d, extra=extra)
    with zipfile.ZipFile(crowded) as package:
        parts = len(package.infolist())

    refused(crowded, f"the workbook package has {parts:,} parts (more than 10,000)")


def test_an_encrypted_ooxml_compound_file_is_refused_whatever_its_extension(tmp_path, cfb):
    for name in ("secret.xlsx", "secret.xlsm", "secret.xls"):
        path = tmp_path / name
        path.write_bytes(cfb(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]))

        refused(path, "encrypted workbook (password-protected); save it without a password")


def test_an_encrypted_xls_is_refused_with_the_same_message(tmp_path, xls, suppliers_rows):
    path = xls(tmp_path / "plain.xls", {"Suppliers": suppliers_rows})
    raw = bytearray(path.read_bytes())
    bof = raw.index(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BIFF8 BOF of the globals
    record = bof + 4 + 16
    assert struct.unpack_from("<H", raw, record)[0] == 0x00E1  # the record after BOF
    struct.pack_into("<H", raw, record, 0x002F)  # FILEPASS: the stream is encrypted
    path.write_bytes(bytes(raw))

    refused(path, "encrypted workbook (password-protected); save it without a password")


def test_an_encrypted_ods_is_refused(tmp_path, ods, rezip, suppliers_rows):
    source = ods(tmp_path / "source.ods", {"Suppliers": suppliers_rows})

    def encrypt(name: str, data: bytes) -> bytes:
        if name != "META-INF/manifest.xml":
            return data
        return data.replace(
            b' manifest:full-path="content.xml"',
            b' manifest:full-path="content.xml"><manifest:encryption-data '
            b'manifest:checksum-type="SHA1/1K"/></manifest:file-entry><x',
            1,
        )

    refused(rezip(source, tmp_path / "locked.ods", encrypt), "encrypted workbook")


def test_the_directory_reader_follows_a_multi_sector_directory(cfb):
    names = [f"stream{i}" for i in range(9)] + ["EncryptionInfo"]

    assert stream_names(io.BytesIO(cfb(names))) == {"Root Entry", *names}


def test_a_plain_xls_directory_has_no_encryption_stream(tmp_path, xls, suppliers_rows):
    path = xls(tmp_path / "plain.xls", {"Suppliers": suppliers_rows})

    with open(path, "rb") as stream:
        assert "Workbook" in stream_names(stream)


@pytest.mark.parametrize(
    "text, verdict",
    [
        (b'<?xml version="1.0"?>\n<root/>', False),
        (b"\xef\xbb\xbf<?xml version='1.0'?><!-- <!DOCTYPE in a comment --><root/>", False),
        (b'<?xml version="1.0"?>\n<!doctype x>\n<root/>', True),
        (b"<!ENTITY x 'y'><root/>", True),
        ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><r/>'.encode("utf-16"), True),
        (b"\x89PNG\r\n\x1a\n<!DOCTYPE", False),
        (b"<root><!DOCTYPE x></root>", False),
        (b"<!--" + b"x" * 70_000, True),
    ],
)
def test_prolog_scanner(text, verdict):
    assert declares_entities(io.BytesIO(text)) is verdict


def test_a_scan_reads_only_the_prolog_of_a_large_part():
    class Counting(io.BytesIO):
        read_bytes = 0

        def read(self, size=-1):
            data = super().read(size)
            Counting.read_bytes += len(data)
            return data

    part = Counting(b'<?xml version="1.0"?><worksheet>' + b"<row/>" * 1_000_000)

    assert declares_entities(part) is False
    assert Counting.read_bytes == 64 * 1024


def test_a_zip_bomb_is_refused_before_calamine_opens_it(tmp_path, book, rezip, monkeypatch):
    import esg_audit.load.workbook as workbook

    def never(*args, **kwargs):
        raise AssertionError("calamine must not open a hostile workbook")

    monkeypatch.setattr(workbook, "_open", never)
    padded = rezip(
        book, tmp_path / "padded.xlsx", lambda n, d: d, extra={"zeros.bin": bytes(2 * 2**20)}
    )
    with zipfile.ZipFile(padded) as package:
        assert sum(i.file_size for i in package.infolist()) > 2**20

    refused(padded, "past the --max-unpacked-mb limit of 1 MB", max_unpacked_mb=1)


def test_a_zip_level_password_is_an_encrypted_workbook(tmp_path, book):
    raw = bytearray(book.read_bytes())
    central = raw.index(b"PK\x01\x02")
    raw[central + 8] |= 0x1  # general-purpose flag bit 0: the member is encrypted
    path = tmp_path / "zipcrypt.xlsx"
    path.write_bytes(bytes(raw))

    refused(path, "encrypted workbook (password-protected)")


def test_corrupt_compressed_data_is_a_damaged_package(tmp_path, book):
    raw = bytearray(book.read_bytes())
    name_length, extra_length = struct.unpack_from("<HH", raw, 26)
    data = 30 + name_length + extra_length
    raw[data : data + 8] = b"\xff" * 8
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(bytes(raw))

    with pytest.raises(InputFileError) as caught:
        load_inputs([str(path)])

    assert not isinstance(caught.value, HostileInputError)
    assert str(caught.value).startswith(f"{path}: not a readable workbook: damaged zip package")
