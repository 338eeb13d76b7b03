"""Importer fixtures (the fake format lives in fakes_import.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stridewise.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    try:
        yield opened
    finally:
        opened.close()
