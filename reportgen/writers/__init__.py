"""Writers: the document model and the brand in, one output format out.

A writer imports the model and the brand tokens, and nothing else of the project.
"""
