"""Brand tokens (``assets/marque.yaml``): the one source of colours, fonts, sizes,
spacing, page size and signature that both writers read."""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .assets import resolve_asset
from .data.messages import schema_errors
from .data.yamlfile import read_yaml
from .config import cache_dir
from .errors import DataError, Location, ReportgenErrors
from .files import replace_atomically

__all__ = ["contrast_ratio", "FONT_FACES", "Brand", "Colours", "Fonts", "Sizes", "Spacing", "SignatureTokens",
           "load_brand", "BRAND_FILE", "PAGE_SIZES_MM"]

BRAND_FILE = "marque.yaml"
#: The font faces of the brand, as named in ``Fonts``.
FONT_FACES = ("regular", "italic", "bold", "bold_italic", "headings")
PAGE_SIZES_MM = {"lettre": (215.9, 279.4), "a4": (210.0, 297.0)}


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


class _Tokens(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Margins(_Tokens):
    top: float = Field(alias="haut")
    bottom: float = Field(alias="bas")
    left: float = Field(alias="gauche")
    right: float = Field(alias="droite")


class Page(_Tokens):
    size: Literal["lettre", "a4"] = Field(alias="format")
    margins_mm: Margins = Field(alias="marges_mm")
    icc_profile: Path = Field(alias="profil_couleur")

    @property
    def size_mm(self) -> tuple[float, float]:
        return PAGE_SIZES_MM[self.size]


class Colours(_Tokens):
    """Colours as ``#RRGGBB``; each has one role, named in marque.yaml."""
    primary: str = Field(alias="principale")
    dark: str = Field(alias="foncee")
    text: str = Field(alias="texte")
    muted: str = Field(alias="discrete")
    accent_background: str = Field(alias="fond_accent")
    on_dark: str = Field(alias="sur_fonce")
    paper: str = Field(alias="fond")

    @field_validator("*")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not (len(value) == 7 and value.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in value[1:])):
            raise ValueError(f"« {value} » n’est pas une couleur #RRVVBB (exemple : #095797)")
        return value.upper()


class Fonts(_Tokens):
    """The font family name and its files (paths inside assets/)."""
    family: str = Field(alias="famille")
    regular: Path = Field(alias="normal")
    italic: Path = Field(alias="italique")
    bold: Path = Field(alias="gras")
    bold_italic: Path = Field(alias="gras_italique")
    headings: Path = Field(alias="titres")


class Sizes(_Tokens):
    """Type sizes in points."""
    body: float = Field(alias="corps")
    leading: float = Field(alias="interligne")
    title: float = Field(alias="titre")
    section: float = Field(alias="section")
    subsection: float = Field(alias="sous_section")
    figure: float = Field(alias="chiffre")
    small: float = Field(alias="petite")


class Spacing(_Tokens):
    """Vertical and list spacing in points."""
    after_paragraph: float = Field(alias="apres_paragraphe")
    before_section: float = Field(alias="avant_section")
    after_section: float = Field(alias="apres_section")
    list_indent: float = Field(alias="retrait_liste")


class SignatureTokens(_Tokens):
    """The closing signature: the ministry's lines, the wordmark, what it says to a screen
    reader, an optional official file."""
    lines: list[str] = Field(alias="lignes")
    wordmark: str = Field(alias="mot_symbole")
    description: str = Field(alias="texte_de_remplacement")
    official_file: Path | None = Field(None, alias="fichier_officiel")


class Brand(_Tokens):
    """Every brand token, with font and image paths resolved inside the assets folder."""
    organisation: str
    page: Page
    colours: Colours = Field(alias="couleurs")
    fonts: Fonts = Field(alias="polices")
    sizes: Sizes = Field(alias="tailles_pt")
    spacing: Spacing = Field(alias="espacement_pt")
    signature: SignatureTokens
    assets_dir: Path = Field(Path("."), json_schema_extra={"internal": True})  # set by load_brand

    def asset(self, relative: Path) -> Path:
        """The absolute path of a file named in marque.yaml."""
        return self.assets_dir / relative

    def text_pairs(self) -> list[tuple[str, str, str, bool]]:
        """Every text/background pair the writers draw: (what, text, background, large text?).
        Each must meet WCAG AA: 4.5:1, or 3:1 for large text."""
        c = self.colours
        return [
            ("texte courant", c.text, c.paper, False),
            ("titre du document", c.dark, c.paper, True),
            ("titres de section, liens, ministère", c.primary, c.paper, False),
            ("date, pied de page", c.muted, c.paper, False),
            ("citation, chiffres clés", c.dark, c.accent_background, False),
            ("libellés des chiffres clés", c.text, c.accent_background, False),
            ("liens dans un encadré", c.primary, c.accent_background, False),
            ("attribution de la citation", c.muted, c.accent_background, False),
            ("signature sur le bandeau", c.on_dark, c.dark, False),
        ]

    def files(self) -> list[Path]:
        """Every file the brand is made of (tokens, fonts, official signature): an output built
        with it depends on each of them."""
        fonts = [self.asset(getattr(self.fonts, face)) for face in FONT_FACES]
        official = [self.official_signature] if self.official_signature else []
        return [self.assets_dir / BRAND_FILE, *fonts, self.asset(self.page.icc_profile), *official]

    def first_undrawable(self, text: str) -> str | None:
        """The first character of ``text`` the brand's font has no glyph for, or None."""
        missing = set(text) - _characters_of(self.asset(self.fonts.regular))
        return next((char for char in text if char in missing), None) if missing else None

    @property
    def official_signature(self) -> Path | None:
        """The official signature image when it was dropped into assets/, else None."""
        path = self.signature.official_file
        return self.asset(path) if path and self.asset(path).is_file() else None


def _inside_assets(brand: Brand, relative: Path, where: Location) -> Path:
    """``relative`` resolved inside the assets folder; a located DataError otherwise."""
    try:
        return resolve_asset(brand.assets_dir, relative)
    except ValueError as error:
        raise DataError(str(error), where, "placez le fichier dans assets/ et donnez son chemin relatif "
                        "(exemple : fonts/Roboto-Regular.ttf)") from None


def _check_font(path: Path, relative: Path, where: Location) -> None:
    """A located DataError unless ``path`` is a TrueType font both writers can embed."""
    try:
        characters = _characters_of(path)  # parsed once: the same map finds undrawable text
    except Exception:  # ReportLab says TTFError, struct.error, IndexError… for a broken file
        raise DataError(f"fichier de police « {relative} » illisible : ce n’est pas une police TrueType valide",
                        where, "remplacez-le par un fichier .ttf complet (par exemple celui de Roboto)") from None
    missing = [char for char in _FRENCH_SAMPLE if char not in characters]
    if missing:
        raise DataError(f"la police « {relative} » ne sait pas dessiner « {''.join(missing)} »", where,
                        "choisissez une police qui couvre tout le français") from None


#: Letters and signs every French report prints: a brand font must draw them all.
_FRENCH_SAMPLE = "AaZz09éèêëàâçîïôœùûüÿÉÀÇ«»’–—\u00a0"


def font_face(path: Path):
    """The TrueType face (ReportLab's ``TTFontFace``) of the font file at ``path``, parsed once
    per version of the file: the brand's checks and the PDF writer share it (a parse takes
    about 4 ms, and a brand has five fonts)."""
    status = path.stat()
    return _font_face(str(path), (status.st_size, status.st_mtime_ns))


@lru_cache(maxsize=16)
def _font_face(path: str, stamp: tuple[int, int]):
    """``stamp`` (size, modification time) tells one version of the file from the next."""
    from reportlab.pdfbase.ttfonts import TTFontFace
    return TTFontFace(path)


def _characters_of(path: Path) -> frozenset[str]:
    """The characters the font file at ``path`` draws (its cmap), with line breaks and tabs."""
    status = path.stat()
    return _font_characters(str(path), (status.st_size, status.st_mtime_ns)) | {"\n", "\t"}


#: The characters of the fonts met lately, by their file's SHA-256: reading a font's cmap
#: means parsing it whole with ReportLab, and a cold build checks five fonts before it
#: knows it will write a PDF at all. At most this many fonts are remembered.
_KNOWN_FONTS_KEPT = 32


@lru_cache(maxsize=16)
def _font_characters(path: str, stamp: tuple[int, int]) -> frozenset[str]:
    """``stamp`` (size, modification time) tells one version of the file from the next."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    known = _known_fonts()
    if isinstance(known.get(digest), str):
        return frozenset(known[digest])
    characters = "".join(sorted(map(chr, font_face(Path(path)).charToGlyph)))  # raises for a broken file
    known[digest] = characters
    try:
        kept = dict(list(known.items())[-_KNOWN_FONTS_KEPT:])
        replace_atomically(_known_fonts_file(), json.dumps(kept, ensure_ascii=True).encode())
    except OSError:
        pass  # not kept: the next process parses the font again
    return frozenset(characters)


def _known_fonts_file() -> Path:
    return cache_dir() / "polices.json"


def _known_fonts() -> dict:
    try:
        known = json.loads(_known_fonts_file().read_bytes())
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def load_brand(assets_dir: Path) -> Brand:
    """Read and check ``assets_dir/marque.yaml``; every font file must exist and be a
    TrueType font that draws French. Kept in memory until a file of ``assets_dir`` changes
    (a long-running process sees a new brand at once)."""
    return _load_brand(assets_dir, _folder_state(assets_dir))


def _folder_state(folder: Path) -> tuple:
    """Name, size and modification time of every file under ``folder``."""
    state = []
    for parent, _, names in os.walk(folder):
        for name in names:
            try:
                status = os.stat(os.path.join(parent, name))
            except OSError:
                continue
            state.append((parent, name, status.st_size, status.st_mtime_ns))
    return tuple(sorted(state))


@lru_cache(maxsize=4)
def _load_brand(assets_dir: Path, state: tuple) -> Brand:
    source = read_yaml(assets_dir / BRAND_FILE)
    try:
        brand = Brand.model_validate({**source.data, "assets_dir": assets_dir.resolve()})
    except ValidationError as error:
        raise ReportgenErrors(schema_errors(source, Brand, error)) from None
    for key in FONT_FACES:
        where = source.locate(("polices", Fonts.model_fields[key].alias))
        _check_font(_inside_assets(brand, getattr(brand.fonts, key), where), getattr(brand.fonts, key), where)
    _inside_assets(brand, brand.page.icc_profile, source.locate(("page", "profil_couleur")))
    official = brand.signature.official_file
    if official and (official.is_absolute() or ".." in official.parts or brand.asset(official).exists()):
        _inside_assets(brand, official, source.locate(("signature", "fichier_officiel")))
    return brand
