"""Checking built outputs as an accessibility reviewer would (``reportgen verifier``).

PDF: tagged structure, language, alternative text on every figure, every font
embedded with a subset tag of its own, what other readers meet (words separated at line
ends in the tagged text, each link's text in its Link element with its annotation,
bookmarks opening their heading's page and height, the outline's /Count), then PDF/UA-1
and PDF/A-2a through two independent validators (page, and pdfua for PDF/UA-1). Word: alternative text on every image, headings that never
skip a level, a title, French as the language, lists made with Word numbering, an archive that
type sniffers recognise as Word, drawing ids unique across parts, and openxml-audit's schema
and repair checks.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

__all__ = ["Check", "verify_file"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_LANGUAGE = "fr-CA"


@dataclass
class Check:
    """One verified property of one file: what, whether it holds, and the problems found."""
    what: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_file(path: Path) -> list[Check]:
    """The checks of a .pdf or .docx file."""
    return _verify_pdf(path) if path.suffix == ".pdf" else _verify_docx(path)


# ---------------------------------------------------------------- PDF

def _verify_pdf(path: Path) -> list[Check]:
    import pikepdf
    with pikepdf.open(path) as pdf:
        checks = [_pdf_structure(pdf), _pdf_language(pdf), _pdf_alternative_texts(pdf), _pdf_fonts(pdf),
                  _pdf_subset_tags(pdf)]
        if "/StructTreeRoot" in pdf.Root:
            from ._pdf_reading import read_pages
            pages = read_pages(pdf)
            checks += [_pdf_words_at_line_ends(pdf, pages), _pdf_links(pdf), _pdf_bookmarks(pdf, pages),
                       _pdf_outline_count(pdf)]
    return checks + [_page_validation(path, "ua1", "PDF/UA-1 (validateur page)"),
                     _page_validation(path, "2a", "PDF/A-2a (validateur page)"), _pdfua(path)]


def _pdf_structure(pdf) -> Check:
    check = Check("structure balisée (StructTreeRoot, MarkInfo)")
    if "/StructTreeRoot" not in pdf.Root:
        check.problems.append("aucun arbre de structure : le PDF n’est pas balisé")
    if not bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False)):
        check.problems.append("/MarkInfo /Marked n’est pas vrai")
    return check


def _pdf_language(pdf) -> Check:
    language = str(pdf.Root.get("/Lang", ""))
    return Check(f"langue du document ({_LANGUAGE})",
                 [] if language == _LANGUAGE else [f"langue déclarée : « {language or 'aucune'} »"])


def _pdf_alternative_texts(pdf) -> Check:
    figures = [e for e in _struct_elements(pdf) if str(e.S) == "/Figure"]
    missing = sum(1 for figure in figures if not str(figure.get("/Alt", "")).strip())
    return Check(f"texte de remplacement des images ({len(figures)})",
                 [f"{missing} image(s) sans texte de remplacement"] if missing else [])


def _pdf_fonts(pdf) -> Check:
    check = Check("polices incorporées")
    for font in _fonts(pdf):
        descriptor = font.get("/FontDescriptor") or font.get("/DescendantFonts", [{}])[0].get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            check.problems.append(f"police non incorporée : {font.get('/BaseFont', '?')}")
    return check


def _pdf_subset_tags(pdf) -> Check:
    check = Check("étiquettes de sous-ensemble de police uniques")
    users: dict[str, list[str]] = {}
    for font in _fonts(pdf):
        name = str(font.get("/BaseFont", ""))[1:]
        if len(name) > 7 and name[6] == "+":
            users.setdefault(name[:6], []).append(name[7:])
    for tag, names in sorted(users.items()):
        if len(names) > 1:
            check.problems.append(f"l’étiquette {tag}+ sert à {len(names)} polices ({', '.join(names)}) : "
                                  "chaque sous-ensemble doit avoir la sienne")
    return check


def _fonts(pdf):
    """Each font the pages use, once."""
    seen = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen not in seen:
                seen.add(font.objgen)
                yield font


def _pdf_words_at_line_ends(pdf, pages) -> Check:
    """What reflow, conversion and assistive tools read through the tags: a word that ends a
    line must be followed by a space, a soft hyphen or a real hyphen, or it is glued to the next."""
    check = Check("texte balisé : mots séparés en fin de ligne")
    glued = []
    for element in _struct_elements(pdf):
        if str(element.S) in ("/Link", "/Figure", "/Span"):
            continue
        text = pages.element_text(element)
        glued += [f"{before}{after}" for before, after in
                  re.findall(r"(\S+[^\s\u00ad\-])\n(\S+)", text)]
    if glued:
        shown = ", ".join(f"« {word} »" for word in glued[:5])
        check.problems.append(f"{len(glued)} mot(s) collé(s) au suivant en fin de ligne : {shown}")
    return check


def _pdf_links(pdf) -> Check:
    """Each Link element holds its text and its annotation(s): a screen reader reads the link
    in its place in the sentence."""
    import pikepdf
    check = Check("liens balisés avec leur texte et leur annotation")
    for element in _struct_elements(pdf):
        if str(element.S) != "/Link":
            continue
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        annotations = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
        texts = [k for k in kids if not isinstance(k, pikepdf.Dictionary) or k.get("/Type") == "/MCR"]
        where = str(annotations[0].Obj.A.get("/URI", "?")) if annotations and "/A" in annotations[0].Obj else "?"
        if not annotations:
            check.problems.append("un élément Link n’a pas d’annotation de lien")
        if not texts:
            check.problems.append(f"le lien {where} n’a pas son texte dans son élément Link : "
                                  "un lecteur d’écran l’annonce hors de sa phrase")
    return check


def _pdf_bookmarks(pdf, pages) -> Check:
    """Each bookmark opens the page of its heading, at its height (bookmarks and headings are
    taken in the same order)."""
    from ._pdf_reading import bookmark_targets
    check = Check("signets vers la page et la position de leur titre")
    headings = [e for e in _struct_elements(pdf) if re.fullmatch(r"/H\d?", str(e.S))]
    targets = bookmark_targets(pdf)
    if len(targets) != len(headings):
        check.problems.append(f"{len(targets)} signet(s) pour {len(headings)} titre(s)")
        return check
    for (title, page, top), heading in zip(targets, headings, strict=True):
        found = pages.first_baseline(heading)
        if found is None:
            continue
        heading_page, baseline = found
        if page != heading_page:
            check.problems.append(f"le signet « {title} » ouvre la page {page + 1} ; "
                                  f"son titre est à la page {heading_page + 1}")
        elif top is not None and not 0 <= top - baseline <= 60:
            check.problems.append(f"le signet « {title} » ouvre la page à une autre hauteur que son titre")
    return check


def _pdf_outline_count(pdf) -> Check:
    check = Check("sommaire : nombre d’entrées visibles (/Count)")
    outlines = pdf.Root.get("/Outlines")
    if outlines is None:
        return check
    declared, visible = int(outlines.get("/Count", 0)), _visible_entries(outlines, check)
    if declared != visible:
        check.problems.append(f"le sommaire annonce {declared} entrées visibles et en montre {visible} : "
                              "les lecteurs stricts refusent le fichier")
    return check


def _visible_entries(item, check: Check) -> int:
    total, child = 0, item.get("/First")
    while child is not None:
        below = _visible_entries(child, check)
        declared = int(child.get("/Count", 0))
        if "/First" in child and abs(declared) != below:
            check.problems.append(f"l’entrée « {child.get('/Title', '')} » annonce {abs(declared)} "
                                  f"sous-entrées et en a {below}")
        total += 1 + (below if declared >= 0 else 0)
        child = child.get("/Next")
    return total


def _struct_elements(pdf):
    """The structure elements in reading order (depth first)."""
    import pikepdf

    def walk(element):
        if isinstance(element, pikepdf.Array):
            for kid in element:
                yield from walk(kid)
        elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
            yield element
            yield from walk(element.get("/K", pikepdf.Array()))

    return list(walk(pdf.Root.StructTreeRoot.K)) if "/StructTreeRoot" in pdf.Root else []


def _page_validation(path: Path, profile: str, what: str) -> Check:
    import page
    report = page.validate_pdf(str(path), profile=profile)
    problems = sorted({f"{failure.rule_id} : {failure.message}" for failure in report.failures})
    return Check(f"{what} — {report.rules.total - report.rules.failed}/{report.rules.total} règles", problems)


def _pdfua(path: Path) -> Check:
    from pdfua import validate
    report = validate(str(path))
    errors = sorted({f"{f.rule_id} : {f.message}" for f in report.findings if f.severity.name == "ERROR"})
    return Check("PDF/UA-1 (validateur pdfua)", errors)


# ---------------------------------------------------------------- Word

def _verify_docx(path: Path) -> list[Check]:
    with zipfile.ZipFile(path) as package:
        parts = {name: ElementTree.fromstring(package.read(name)) for name in package.namelist()
                 if name.startswith("word/") and name.endswith(".xml") and "/_rels/" not in name}
        core = package.read("docProps/core.xml").decode("utf-8")
        order = [(info.filename, info.compress_size) for info in package.infolist()]
    return [_docx_alternative_texts(parts), _docx_headings(parts["word/document.xml"]),
            _docx_title_and_language(core, parts["word/styles.xml"]), _docx_lists(parts["word/styles.xml"]),
            _docx_recognised_type(order), _docx_drawing_ids(parts), _openxml_audit(path)]


def _docx_recognised_type(order: list[tuple[str, int]]) -> Check:
    """What type sniffers (libmagic's ``file``, upload filters, mail gateways) need to call the
    file a Word document: a ``word/`` entry first, or ``[Content_Types].xml`` first and a
    ``word/`` entry among the next three, each entry before it small enough for them to skip."""
    check = Check("reconnu comme document Word par les détecteurs de type (libmagic)")
    if order and order[0][0].startswith("word/"):
        return check
    if not order or order[0][0] != "[Content_Types].xml":
        first = order[0][0] if order else "aucune"
        check.problems.append(f"la première entrée de l’archive est « {first} », pas « [Content_Types].xml » : "
                              "le fichier est pris pour une simple archive ZIP")
        return check
    for name, size in order[1:4]:
        if name.startswith("word/"):
            return check
        if size > 6000:
            break
    check.problems.append("aucune entrée « word/ » parmi les premières de l’archive : "
                          "le fichier est pris pour un document Office inconnu")
    return check


def _docx_drawing_ids(parts) -> Check:
    check = Check("identifiants d’images uniques (wp:docPr)")
    seen: dict[str, str] = {}
    for name, root in sorted(parts.items()):
        for drawing in root.iter(_WP + "docPr"):
            number = drawing.get("id", "")
            if number in seen:
                check.problems.append(f"l’identifiant {number} sert dans {seen[number]} et dans {name} : "
                                      "Word réparerait le fichier")
            seen.setdefault(number, name)
    return check


def _openxml_audit(path: Path) -> Check:
    """openxml-audit (Office 2007 schemas, and the files Word is known to repair)."""
    from openxml_audit import OpenXmlValidator
    result = OpenXmlValidator().validate(str(path))
    kinds = {"ERROR": "erreur", "WARNING": "avertissement"}
    return Check("validation Open XML (openxml-audit)",
                 [f"{kinds.get(error.severity.name, error.severity.name.lower())} dans {error.part_uri or 'le paquet'} : "
                  f"{error.description}" for error in result.errors])


def _docx_alternative_texts(parts) -> Check:
    images = [d for root in parts.values() for d in root.iter(_WP + "docPr")]
    missing = sum(1 for image in images if not image.get("descr", "").strip())
    return Check(f"texte de remplacement des images ({len(images)})",
                 [f"{missing} image(s) sans texte de remplacement"] if missing else [])


def _docx_headings(document) -> Check:
    levels = []
    for paragraph in document.iter(_W + "p"):
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        name = style.get(_W + "val") if style is not None else ""
        if name.startswith("Heading") and name[7:].isdigit():
            levels.append(int(name[7:]))
    skips = [f"Titre {a} suivi d’un titre {b}" for a, b in zip([0] + levels[:-1], levels, strict=True) if b > a + 1]
    return Check("niveaux de titres sans saut", skips)


def _docx_title_and_language(core: str, styles) -> Check:
    check = Check(f"titre du document et langue ({_LANGUAGE})")
    if "<dc:title>" not in core or "<dc:title></dc:title>" in core:
        check.problems.append("le document n’a pas de titre (Fichier › Propriétés)")
    if f"<dc:language>{_LANGUAGE}</dc:language>" not in core:
        check.problems.append("la langue du document n’est pas fr-CA")
    other = sorted({lang.get(_W + "val") for lang in styles.iter(_W + "lang")} - {_LANGUAGE})
    if other:
        check.problems.append("des styles sont dans une autre langue : " + ", ".join(other))
    return check


def _docx_lists(styles) -> Check:
    bullet = next((s for s in styles.iter(_W + "style") if s.get(_W + "styleId") == "ListBullet"), None)
    numbered = bullet is not None and bullet.find(f"{_W}pPr/{_W}numPr") is not None
    return Check("listes faites avec la numérotation de Word",
                 [] if numbered else ["le style List Bullet n’utilise pas la numérotation de Word"])
