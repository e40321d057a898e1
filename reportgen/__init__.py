"""reportgen: the ministry's regional reports, from data, as PDF and Word.

The pipeline, one stage per module::

    data (YAML) -> data.catalog -> context -> layout (Jinja2) -> markup -> model
                -> writers.pdf / writers.docx        (brand tokens from assets/)
"""
__version__ = "0.1.0"

__all__ = ["__version__"]
