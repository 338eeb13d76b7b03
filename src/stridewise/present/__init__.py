"""Presentation shared by every face: view models, formatters, charts and partial templates.

The web pages, the JSON API and the report import from here; nothing here imports a face.
"""
