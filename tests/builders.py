"""Builders of hostile files that several test folders share."""

from __future__ import annotations

import struct
from collections.abc import Sequence


def compound_file(stream_names: Sequence[str]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) whose directory holds a root
    entry and empty streams of the given names; the directory spans as many sectors as needed,
    chained through the FAT."""
    entries = [("Root Entry", 5)] + [(name, 2) for name in stream_names]
    per_sector = 512 // 128
    dir_sectors = -(-len(entries) // per_sector)
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    fat = [fat_sector] + [s + 2 if s + 1 < dir_sectors else end for s in range(dir_sectors)]
    fat += [free] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    directory = bytearray(dir_sectors * 512)
    for i, (name, kind) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\0\0"
        offset = i * 128
        directory[offset : offset + len(raw)] = raw
        struct.pack_into("<HBB", directory, offset + 0x40, len(raw), kind, 1)
        struct.pack_into("<III", directory, offset + 0x44, free, free, free)
        struct.pack_into("<IQ", directory, offset + 0x74, end, 0)
    return bytes(header) + struct.pack("<128I", *fat) + bytes(directory)
