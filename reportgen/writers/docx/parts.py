"""A report's own parts, made beside its template's without loading the template's package.

Of a Word file, a report changes only its body (``word/document.xml``), the body's
relationships (links, pictures), its pictures, its properties (``docProps/core.xml``) and
the list of content types; a draft also changes its headers. ``Pristine`` reads what those
start from out of the template's package once per process; ``OwnParts`` gathers one report's
links and pictures, numbered as python-docx numbers them (so the files stay the same, byte
for byte), and gives the report's entries. Copying python-docx's whole loaded package for
every report cost more than all the rest of a report.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from docx.image.image import Image as Picture
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import CT_Relationships, parse_xml
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml.shape import CT_Inline

__all__ = ["Pristine", "OwnParts", "read_pristine"]

_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
DOCUMENT, DOCUMENT_RELS = "word/document.xml", "word/_rels/document.xml.rels"
CORE = "docProps/core.xml"
_MEDIA = re.compile(r"word/media/image(\d+)\.\w+")


@dataclass(frozen=True)
class _Part:
    """A part as ``[Content_Types].xml`` sees it."""
    partname: PackURI
    content_type: str


@dataclass(frozen=True)
class _Image:
    """A picture in the package: its part's name, and the picture python-docx read from it."""
    partname: PackURI
    picture: Picture


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (content types are cached)
class Pristine:
    """What every report of a template starts from (the template's own entries, unchanged)."""
    document_xml: bytes
    #: The body's relationships: (id, type, target, external), in the template's order.
    rels: tuple[tuple[str, str, str, bool], ...]
    #: Every part of the template, for the content types.
    parts: tuple[_Part, ...]
    #: The template's pictures (the band) by SHA-1: a report's identical picture reuses one.
    images: dict[str, PackURI]
    package_rels: bytes
    core_xml: bytes
    #: The headers' entries (a draft marks each).
    headers: dict[str, bytes]

    @lru_cache(maxsize=16)
    def content_types(self, own: tuple[_Part, ...]) -> bytes:
        """``[Content_Types].xml`` of the template's parts and ``own`` (a report's pictures)."""
        return _ContentTypesItem.from_parts(self.parts + own).blob


def read_pristine(package: bytes) -> Pristine:
    """The report's starting points, read from the template's package (an archive)."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names = archive.namelist()
        types = parse_xml(archive.read("[Content_Types].xml"))
        defaults = {d.get("Extension").lower(): d.get("ContentType") for d in types.iter(_TYPES + "Default")}
        overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(_TYPES + "Override")}
        parts = tuple(_Part(PackURI("/" + name), overrides.get("/" + name) or defaults[name.rsplit(".", 1)[1].lower()])
                      for name in names if name != "[Content_Types].xml" and not name.endswith(".rels"))
        rels = tuple((rel.get("Id"), rel.get("Type"), rel.get("Target"), rel.get("TargetMode") == "External")
                     for rel in parse_xml(archive.read(DOCUMENT_RELS)).iter(_RELATIONSHIPS + "Relationship"))
        images = {hashlib.sha1(archive.read(name)).hexdigest(): PackURI("/" + name)
                  for name in names if _MEDIA.fullmatch(name)}
        return Pristine(archive.read(DOCUMENT), rels, parts, images, archive.read("_rels/.rels"),
                        archive.read(CORE), {name: archive.read(name) for name in names
                                             if re.fullmatch(r"word/header\d+\.xml", name)})


class OwnParts:
    """One report's relationships and pictures, over its template's."""

    def __init__(self, pristine: Pristine):
        self.pristine = pristine
        self.rels = {rel[0]: rel for rel in pristine.rels}
        self.pictures: list[tuple[PackURI, bytes, str]] = []  # (partname, bytes, relationship id)
        self._by_sha1: dict[str, _Image] = {}
        # Shapes are numbered after the largest id of the body (python-docx's ``next_id``);
        # the body's drawings are renumbered later, but each keeps its name "Picture N".
        self._shape_id = max(map(int, re.findall(rb' id="(\d+)"', pristine.document_xml)), default=0)

    def hyperlink(self, url: str) -> str:
        """The relationship id of a link to ``url`` (one per address, as python-docx does)."""
        return self._relate(RT.HYPERLINK, url, True)

    def picture(self, source: str | BinaryIO, width: int | None = None) -> CT_Inline:
        """A ``wp:inline`` showing the picture at ``source`` (a path or a stream), ``width``
        EMU wide (None: its own size), its picture part added once however often it is shown."""
        picture = Picture.from_file(source)
        image = self._by_sha1.get(picture.sha1) or self._add_image(picture)
        rel_id = self._relate(RT.IMAGE, image.partname.relative_ref("/word"), False)
        cx, cy = image.picture.scaled_dimensions(width, None)
        self._shape_id += 1
        return CT_Inline.new_pic_inline(self._shape_id, rel_id, image.picture.filename, cx, cy)

    def _add_image(self, picture: Picture) -> _Image:
        known = self.pristine.images.get(picture.sha1)
        if known is not None:  # the same picture as the template's: python-docx reads it back
            image = _Image(known, Picture.from_blob(picture.blob))
        else:
            image = _Image(self._next_image_partname(picture.ext), picture)
            self.pictures.append((image.partname, picture.blob, picture.content_type))
        self._by_sha1[picture.sha1] = image
        return image

    def _next_image_partname(self, ext: str) -> PackURI:
        """The first free ``/word/media/imageN`` number, whatever the extension (python-docx's rule)."""
        used = {partname.idx for partname in self.pristine.images.values()}
        used.update(partname.idx for partname, _, _ in self.pictures)
        number = next(n for n in range(1, len(used) + 2) if n not in used)
        return PackURI(f"/word/media/image{number}.{ext}")

    def _relate(self, reltype: str, target: str, external: bool) -> str:
        for rel_id, kind, known, is_external in self.rels.values():
            if (kind, known, is_external) == (reltype, target, external):
                return rel_id
        rel_id = next(f"rId{n}" for n in range(1, len(self.rels) + 2) if f"rId{n}" not in self.rels)
        self.rels[rel_id] = (rel_id, reltype, target, external)
        return rel_id

    def rels_xml(self) -> bytes:
        """``word/_rels/document.xml.rels``: the template's relationships, then the report's."""
        rels = CT_Relationships.new()
        for rel_id, reltype, target, external in self.rels.values():
            rels.add_rel(rel_id, reltype, target, external)
        return rels.xml

    def content_types(self) -> bytes:
        own = tuple(_Part(partname, content_type) for partname, _, content_type in self.pictures)
        return self.pristine.content_types(own)

    def picture_entries(self) -> list[tuple[str, bytes]]:
        return [(partname.membername, blob) for partname, blob, _ in self.pictures]
