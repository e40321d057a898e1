"""Writing the Word package ourselves: reproducible, fast, and in the order type sniffers read.

python-docx zips every part with the current time and deflates the embedded fonts
(over a megabyte) on every save. Here a branded template's unchanging entries
(fonts, theme, styles, headers…) are compressed once, with a fixed date; each report
then copies their compressed bytes and adds only the entries that differ.

Order matters to tools that sniff a file's type (libmagic's ``file``, upload filters, mail
gateways): they read the first entries of the archive, and call it a Word file only when
``[Content_Types].xml`` comes first and a ``word/`` entry follows closely. So each report's
archive starts with its content types, its package relationships and its body, then the
template's entries. Same inputs, same bytes: no clock, fixed order.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from docx.opc.packuri import PACKAGE_URI
from docx.opc.pkgwriter import (
    _ContentTypesItem,  # the content-types writer PackageWriter uses
)

__all__ = ["package_entries", "zip_entries", "compressed_entries", "compress", "compress_recurring", "lay_out",
           "assemble", "CompressedEntry", "LaidOut", "FIRST_ENTRIES"]

#: Every entry's timestamp (the earliest a ZIP file can hold): the date lives in docProps/core.xml.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_DEFLATED, _STORED = 8, 0
_MADE_ON_UNIX = 3 << 8  # so the 0644 permissions below are read as such

#: The entries a report's archive starts with, in this order (see the module's docstring).
FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels")


def package_entries(package, skip: frozenset[str] = frozenset()) -> list[tuple[str, bytes]]:
    """Every (name, bytes) entry of an OPC package, in python-docx's own order, but those named
    in ``skip`` (the template's unchanging entries: not serialised again for every report)."""
    parts = list(package.iter_parts())
    entries = [("[Content_Types].xml", _ContentTypesItem.from_parts(parts).blob),
               (PACKAGE_URI.rels_uri.membername, package.rels.xml)]
    for part in parts:
        if part.partname.membername not in skip:
            entries.append((part.partname.membername, part.blob))
        if len(part.rels) and part.partname.rels_uri.membername not in skip:
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    return [(name, blob) for name, blob in entries if name not in skip]


def zip_entries(entries: Iterable[tuple[str, bytes]], compress: bool = True) -> bytes:
    """A new archive of ``entries``; uncompressed ones are for reading back quickly."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, blob in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, blob)
    return stream.getvalue()


@dataclass(frozen=True)
class CompressedEntry:
    """One archive entry ready to copy: its name, CRC-32, method, sizes and stored bytes."""
    name: bytes
    crc: int
    method: int
    size: int
    data: bytes


def compress(name: str, blob: bytes) -> CompressedEntry:
    """``blob`` deflated as zipfile does (raw deflate, level 6)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = packer.compress(blob) + packer.flush()
    return CompressedEntry(name.encode("utf-8"), zlib.crc32(blob), _DEFLATED, len(blob), data)


#: The entries that come back unchanged report after report (content types, package
#: relationships, the signature), deflated once.
compress_recurring = lru_cache(maxsize=16)(compress)


def compressed_entries(archive_bytes: bytes) -> list[CompressedEntry]:
    """The entries of an archive written by ``zip_entries``, as compressed bytes to copy."""
    entries = []
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        for info in archive.infolist():
            name_length, extra_length = struct.unpack_from("<HH", archive_bytes, info.header_offset + 26)
            start = info.header_offset + 30 + name_length + extra_length
            entries.append(CompressedEntry(info.filename.encode("utf-8"), info.CRC, info.compress_type,
                                           info.file_size, archive_bytes[start:start + info.compress_size]))
    return entries


@dataclass(frozen=True)
class LaidOut:
    """Entries laid out once, to be copied whole into archives: their local headers and data
    as one block, and their central directory records, each as (the record up to its
    offset, the entry's name, its offset from the block's start)."""
    data: bytes
    records: tuple[tuple[bytes, bytes, int], ...]


def lay_out(entries: Iterable[CompressedEntry]) -> LaidOut:
    """``entries`` one after the other, as they will stand in an archive."""
    chunks, records, at = [], [], 0
    for entry in entries:
        version = 20 if entry.method == _DEFLATED else 10
        header = struct.pack("<HHHHHIIIHH", version, 0, entry.method, _DOS_TIME, _DOS_DATE,
                             entry.crc, len(entry.data), entry.size, len(entry.name), 0)
        records.append((b"PK\x01\x02" + struct.pack("<H", _MADE_ON_UNIX | version) + header
                        + struct.pack("<HHHI", 0, 0, 0, 0o644 << 16), entry.name, at))
        local = b"PK\x03\x04" + header + entry.name
        chunks += (local, entry.data)
        at += len(local) + len(entry.data)
    return LaidOut(b"".join(chunks), tuple(records))


def assemble(groups: Iterable[LaidOut | Iterable[CompressedEntry]]) -> list[bytes]:
    """A ZIP archive of the entries of ``groups`` in the given order (no ZIP64: a report is far
    below 4 GB), as chunks to write one after the other. A group already laid out (a
    template's shared entries) is one chunk, written from where it is: its megabytes are
    never copied to make an archive."""
    chunks, directory, at = [], [], 0
    for group in groups:
        block = group if isinstance(group, LaidOut) else lay_out(group)
        chunks.append(block.data)
        directory += [head + struct.pack("<I", at + offset) + name for head, name, offset in block.records]
        at += len(block.data)
    central = b"".join(directory)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(directory), len(directory), len(central), at, 0)
    return chunks + [central, end]
