"""Writing the Word package ourselves: reproducible, and fast.

python-docx zips every part with the current time and deflates the embedded fonts
(over a megabyte) on every save. Here a branded template's unchanging entries
(fonts, theme, styles, headers…) are zipped once, with a fixed date; each report
then copies that archive's bytes and appends only the entries that differ.
Same inputs, same bytes: no clock, fixed order.
"""
from __future__ import annotations

import io
import zipfile
from typing import Iterable

from docx.opc.packuri import PACKAGE_URI
from docx.opc.pkgwriter import (
    _ContentTypesItem,  # the content-types writer PackageWriter uses
)

__all__ = ["package_entries", "zip_entries", "append_entries"]

#: Every entry's timestamp (the earliest a ZIP file can hold): the date lives in docProps/core.xml.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def package_entries(package) -> list[tuple[str, bytes]]:
    """Every (name, bytes) entry of an OPC package, in python-docx's own order."""
    parts = list(package.iter_parts())
    entries = [("[Content_Types].xml", _ContentTypesItem.from_parts(parts).blob),
               (PACKAGE_URI.rels_uri.membername, package.rels.xml)]
    for part in parts:
        entries.append((part.partname.membername, part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    return entries


def _write(archive: zipfile.ZipFile, entries: Iterable[tuple[str, bytes]], compress: bool = True) -> None:
    for name, blob in entries:
        info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        archive.writestr(info, blob)


def zip_entries(entries: Iterable[tuple[str, bytes]], compress: bool = True) -> bytes:
    """A new archive of ``entries``; uncompressed ones are for reading back quickly."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        _write(archive, entries, compress)
    return stream.getvalue()


def append_entries(archive_bytes: bytes, entries: Iterable[tuple[str, bytes]]) -> bytes:
    """``archive_bytes`` (copied, not recompressed) with ``entries`` appended."""
    stream = io.BytesIO(archive_bytes)
    with zipfile.ZipFile(stream, "a") as archive:
        _write(archive, entries)
    return stream.getvalue()
