"""Data files: reading YAML with positions, the schema, and the catalog of reports."""
from .catalog import Catalog, Report, load_catalog

__all__ = ["Catalog", "Report", "load_catalog"]
