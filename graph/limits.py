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
from dataclasses import dataclass, field, fields, replace

__all__ = [
    "Limits",
    "DEFAULT_LIMITS",
    "MAX_LEVEL",
    "count_from_env",
    "limits_from_env",
]

#: The highest level a role may have. Levels are grades (1 for the most
#: junior); real grade systems stay far below this, and a bound keeps every
#: level an exact integer wherever it travels (JSON, JavaScript, SQL).
MAX_LEVEL = 1000

_ENV_PREFIX = "CAREER_GRAPH_MAX_"


def _budget(default: int, what: str):
    return field(default=default, metadata={"help": what})


@dataclass(frozen=True)
class Limits:
    """How much one load may hold.

    Each field is an upper bound; its ``metadata["help"]`` says what it counts
    (the CLI's help and README quote it).

    Examples
    --------
    >>> Limits().columns
    200
    >>> Limits(rows=10).rows
    10
    """

    file_bytes: int = _budget(1_000_000_000, "bytes in one file")
    columns: int = _budget(200, "columns in one table (a header cell each)")
    # O*NET's longest cell, a list of alternate titles, holds about 18,400
    cell_chars: int = _budget(100_000, "characters in one cell")
    rows: int = _budget(10_000_000, "data rows in one table or sheet")
    errors: int = _budget(1_000, "errors listed one by one; the rest are counted")
    workbook_bytes: int = _budget(200_000_000, "bytes of a workbook once unzipped")

    @staticmethod
    def option(name: str) -> str:
        """The CLI option that sets budget ``name``: ``--max-cell-chars``."""
        return "--max-" + name.replace("_", "-")

    @staticmethod
    def variable(name: str) -> str:
        """The environment variable that sets budget ``name`` in the app."""
        return _ENV_PREFIX + name.upper()

    @staticmethod
    def how_to_raise(name: str) -> str:
        """How to raise budget ``name``, for a problem's hint.

        Examples
        --------
        >>> Limits.how_to_raise("rows")
        '--max-rows or CAREER_GRAPH_MAX_ROWS raises the limit'
        """
        return f"{Limits.option(name)} or {Limits.variable(name)} raises the limit"


#: The budgets of the CLI and the bundled data.
DEFAULT_LIMITS = Limits()


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
    changes = {
        budget.name: count_from_env(
            Limits.variable(budget.name), getattr(base, budget.name), environ
        )
        for budget in fields(Limits)
    }
    return replace(base, **changes)


def count_from_env(
    name: str, default: int, environ: Mapping[str, str] | None = None
) -> int:
    """The whole number from 1 that variable ``name`` holds, or ``default``.

    Raises ``ValueError`` naming the variable for anything else.

    Examples
    --------
    >>> count_from_env("N", 60, {}), count_from_env("N", 60, {"N": "5"})
    (60, 5)
    """
    environ = os.environ if environ is None else environ
    text = environ.get(name)
    if text is None:
        return default
    if not text.strip().isdigit() or int(text) < 1:
        raise ValueError(f"{name}={text!r}: give a whole number from 1")
    return int(text)
