"""Importers: other catalogues' files in, this project's catalogue format out."""
