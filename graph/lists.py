"""List cells: several items in one CSV cell, separated by ``;``."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["split_list", "join_list"]

#: ``;`` separates the items of a list cell; ``\;`` is a ``;`` inside an item.
_ITEM_BREAK = re.compile(r"(?<!\\);")


def split_list(cell: str) -> list[str]:
    r"""The items of a ``;``-separated list cell, stripped, empty ones dropped.
    An item may hold a ``;`` written as ``\;`` (cells without one read as
    they always did).

    Examples
    --------
    >>> split_list(" Excel ; ;Planning")
    ['Excel', 'Planning']
    >>> split_list(r"Plan budgets\; report on them;Hire")
    ['Plan budgets; report on them', 'Hire']
    """
    if ";" not in cell:  # one item, as most alias cells hold: no split at all
        item = cell.strip()
        return [item] if item else []
    if "\\" not in cell:  # the usual cell: a plain split, three times faster
        return [item for item in map(str.strip, cell.split(";")) if item]
    items = (item.strip().replace("\\;", ";") for item in _ITEM_BREAK.split(cell))
    return [item for item in items if item]


def join_list(items: Iterable[object]) -> str:
    r"""One list cell from ``items``: the inverse of :func:`split_list`.

    Examples
    --------
    >>> print(join_list(["Plan budgets; report on them", "Hire"]))
    Plan budgets\; report on them;Hire
    >>> split_list(join_list(["a;b", "c"]))
    ['a;b', 'c']
    """
    return ";".join(str(item).replace(";", "\\;") for item in items)
