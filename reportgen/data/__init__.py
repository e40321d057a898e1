"""Data files: reading YAML with positions, the schema, and the catalog of reports."""
