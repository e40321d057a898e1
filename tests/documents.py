"""A small document that uses every node type, for the writer tests."""
from reportgen.model import (BulletList, ContactLine, Contacts, Document, Emph, Heading, KeyFigure,
                             KeyFigures, LineBreak, Link, PageBreak, Paragraph, Quote, Signature,
                             Strong, Text)

EVERY_NODE = Document(
    title="Bilan d’essai",
    subject="Sujet d’essai",
    keywords=("essai", "MIFI"),
    blocks=(
        Heading(1, (Text("Bilan d’essai"),)),
        Paragraph((Text("Ministère d’essai"),), "ministere"),
        Paragraph((Text("Texte "), Emph((Text("italique"),)), Text(" et "), Strong((Text("gras"),)),
                   Text(" avec R&D <Cie> ]]>"), LineBreak(), Text("et un "),
                   Link("https://www.quebec.ca/immigration", (Text("lien"),)), Text("."))),
        Heading(2, (Text("Section"),)),
        BulletList(((Text("premier"),), (Text("second "), Strong((Text("fort"),))))),
        KeyFigures((KeyFigure("207", (Text("employeurs"),)), KeyFigure("11", (Text("points"),)))),
        Quote((Text("« Citation »"),), (Text("Nicolas Martin"),)),
        PageBreak(),
        Contacts((ContactLine("Courriel", (Link("mailto:a@mifi.gouv.qc.ca", (Text("a@mifi.gouv.qc.ca"),)),)),
                  ContactLine("Téléphone", (Link("tel:+1-833-273-4667", (Text("1 833 273-4667"),)),)))),
        Signature(),
    ),
)
