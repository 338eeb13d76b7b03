"""Frames built from rows, with a cheap answer for no rows.

``pd.DataFrame([], columns=...)`` costs about half a millisecond, and the series' loaders make
several empty frames for most people (no phone data, no brisk spans) every time the advice is
worked out again after a check-in; copying a kept empty frame costs a fiftieth of that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd


@lru_cache(maxsize=64)
def _template(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def empty_frame(columns: Iterable[str]) -> pd.DataFrame:
    """An empty frame with these columns (object dtype), the same as
    ``pd.DataFrame(columns=columns)``; a new frame each call, which the caller may change."""
    return _template(tuple(columns)).copy()


def frame_of(rows: Sequence[Any], columns: Iterable[str]) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=columns)``, and :func:`empty_frame` without rows."""
    columns = tuple(columns)
    return pd.DataFrame(rows, columns=list(columns)) if len(rows) else empty_frame(columns)
