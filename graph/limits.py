"""Budgets for input: how much a file may hold before it is refused.

Every budget is checked before the expensive work it protects (a header with
a million columns is refused before a table is parsed; a workbook's sheet
sizes are read before its cells), and a file over budget is an ordinary
validation error naming file, row and column. The CLI's ``--max-*`` options
and the app's ``CAREER_GRAPH_MAX_*`` environment variables change them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

__all__ = ["Limits", "DEFAULT_LIMITS", "MAX_LEVEL", "limits_from_env"]

#: The highest level a role may have. Levels are grades (1 for the most
#: junior); real grade systems stay far below this, and a bound keeps every
#: level an exact integer wherever it travels (JSON, JavaScript, SQL).
MAX_LEVEL = 1000


@dataclass(frozen=True)
class Limits:
    """How much one load may hold.

    Each field is an upper bound; the docstring of each says what it counts.

    Examples
    --------
    >>> Limits().columns
    200
    >>> Limits(rows=10).rows
    10
    """

    #: Columns in one table (a header cell each).
    columns: int = 200
    #: Characters in one cell (O*NET's longest, a list of alternate titles,
    #: holds about 18,400).
    cell_chars: int = 100_000
    #: Data rows in one table (roles.csv, edges.csv, one sheet).
    rows: int = 10_000_000
    #: Errors listed one by one; the rest are counted.
    errors: int = 1_000
    #: Bytes of a workbook once unzipped.
    workbook_bytes: int = 200_000_000


#: The budgets of the CLI and the bundled data.
DEFAULT_LIMITS = Limits()

_ENV_PREFIX = "CAREER_GRAPH_MAX_"


def limits_from_env(
    environ: Mapping[str, str] | None = None, base: Limits = DEFAULT_LIMITS
) -> Limits:
    """``base`` with the budgets named in the environment
    (``CAREER_GRAPH_MAX_ROWS=50000``, ``CAREER_GRAPH_MAX_COLUMNS``, ...).

    Raises ``ValueError`` for a value that is not a whole number from 1, naming
    the variable.

    Examples
    --------
    >>> limits_from_env({"CAREER_GRAPH_MAX_ROWS": "500"}).rows
    500
    >>> limits_from_env({"CAREER_GRAPH_MAX_ROWS": "lots"})
    Traceback (most recent call last):
    ...
    ValueError: CAREER_GRAPH_MAX_ROWS='lots': give a whole number from 1
    """
    environ = os.environ if environ is None else environ
    changes = {}
    for field in fields(Limits):
        name = _ENV_PREFIX + field.name.upper()
        if name not in environ:
            continue
        text = environ[name]
        if not text.strip().isdigit() or int(text) < 1:
            raise ValueError(f"{name}={text!r}: give a whole number from 1")
        changes[field.name] = int(text)
    return replace(base, **changes)
