"""Role data kept column by column: what a built catalogue's nodes hold.

A built catalogue's node data (``G._node``) is a :class:`RoleTable`: the role
ids in order, and each column of ``roles.csv`` as one string with the cells'
offsets, instead of a dict, a list per list cell and a string per cell for
every role. ``G.nodes[role]`` is then a read-only :class:`RoleRecord` that
reads its cells from the columns: a mapping like the dict it replaces (the
non-empty cells; ``level`` an int, list columns lists). On a million roles
that is about 6 million Python objects fewer to build, keep and read back
from the build cache. ``G.copy()`` gives every node a dict of its own to
change, as with any networkx graph.

Code that reads one column of every role uses :func:`node_values`, which
reads the column at once instead of a record per role.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa

from graph.bulk import arrow_backed, arrow_strings
from graph.lists import split_list
from graph.schema import ROLE_LIST_COLUMNS

__all__ = [
    "RoleIndex",
    "RoleMapping",
    "RoleRecord",
    "RoleTable",
    "distinct_values",
    "level_array",
    "node_values",
    "role_ids",
]

_LEVEL = "level"


class _Texts:
    """A column of strings as one string and the offsets of its cells: two
    objects, however many cells, which pickle as one string and one buffer.

    Examples
    --------
    >>> texts = _Texts(["ab", "", "c"])
    >>> texts[0], texts[1], texts[2], texts.to_list()
    ('ab', '', 'c', ['ab', '', 'c'])
    """

    __slots__ = ("_offsets", "_text")

    def __init__(self, cells: Sequence[str]) -> None:
        lengths = np.fromiter(map(len, cells), np.int64, len(cells))
        self._offsets = np.concatenate(([0], np.cumsum(lengths)))
        self._text = "".join(cells)

    @classmethod
    def of_column(cls, column: pd.Series) -> _Texts:
        """A table's column of strings; one of Arrow-backed strings is read
        from its UTF-8 bytes as they lie, with no Python string per cell (the
        five text columns of a million roles: 0.2 s instead of 1.2 s).

        Examples
        --------
        >>> _Texts.of_column(pd.Series(["é", "", "ab"], dtype="str")).to_list()
        ['é', '', 'ab']
        """
        if not arrow_backed(column):
            return cls(column.tolist())
        # the columnar layout: cell i is bytes offsets[i]:offsets[i + 1]
        array = arrow_strings(column)
        _, offsets, data = array.buffers()
        bounds = np.frombuffer(offsets, np.int64)[
            array.offset : array.offset + len(array) + 1
        ]
        raw = np.frombuffer(data or b"", np.uint8)[bounds[0] : bounds[-1]]
        bounds = bounds - bounds[0]
        texts = cls.__new__(cls)
        texts._text = str(memoryview(raw), "utf-8")
        if len(texts._text) == len(raw):  # one byte per character
            texts._offsets = bounds
            return texts
        # characters per cell: the bytes that start one (UTF-8 continuation
        # bytes are 10xxxxxx)
        starts_character = ((raw & 0xC0) != 0x80).view(np.uint8)
        filled = np.flatnonzero(np.diff(bounds))
        characters = np.zeros(len(array), np.int64)
        characters[filled] = np.add.reduceat(
            starts_character, bounds[filled], dtype=np.int64
        )
        texts._offsets = np.concatenate(([0], np.cumsum(characters)))
        return texts

    def __getitem__(self, position: int) -> str:
        start, end = self._offsets[position : position + 2].tolist()
        return self._text[start:end]

    def as_arrow(self) -> pa.LargeStringArray | None:
        """The cells as a pyarrow array, from one copy of the text as UTF-8;
        ``None`` where the text cannot be UTF-8 (a lone surrogate).

        Examples
        --------
        >>> _Texts(["é", "", "ab"]).as_arrow().to_pylist()
        ['é', '', 'ab']
        """
        text, offsets = self._text, self._offsets
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return None
        if len(data) != len(text):  # offsets count characters, Arrow's bytes
            points = np.frombuffer(text.encode("utf-32-le"), np.uint32)
            widths = (
                1
                + (points >= 0x80).view(np.uint8)
                + (points >= 0x800)
                + (points >= 0x10000)
            )
            offsets = np.concatenate(([0], np.cumsum(widths, dtype=np.int64)))[offsets]
        return pa.LargeStringArray.from_buffers(
            len(self._offsets) - 1,
            pa.py_buffer(np.ascontiguousarray(offsets, dtype=np.int64)),
            pa.py_buffer(data),
        )

    def to_list(self) -> list[str]:
        text, offsets = self._text, self._offsets.tolist()
        return [
            text[start:end] for start, end in zip(offsets, offsets[1:], strict=False)
        ]

    def __getstate__(self) -> tuple:
        return self._offsets, self._text

    def __setstate__(self, state: tuple) -> None:
        self._offsets, self._text = state


class RoleIndex:
    """The role ids in order, and each id's position: what a built
    catalogue's role table and relations (:mod:`graph.adjacency`) share. It
    pickles as the ids; the positions are rebuilt once when read back.

    Examples
    --------
    >>> index = RoleIndex(["a", "b"])
    >>> index.ids, index.position["b"]
    (['a', 'b'], 1)
    """

    __slots__ = ("ids", "position")

    def __init__(self, ids: list[Hashable]) -> None:
        self.ids = ids
        positions = range(len(ids))
        self.position: dict[Hashable, int] = dict(zip(ids, positions, strict=True))

    def __len__(self) -> int:
        return len(self.ids)

    def __reduce__(self) -> tuple:
        return (RoleIndex, (self.ids,))


class RoleMapping(Mapping):
    """A read-only mapping keyed by the roles of a :class:`RoleIndex`, in
    their order: what a built catalogue's node data (:class:`RoleTable`) and
    adjacency (:mod:`graph.adjacency`) are. A change raises ``TypeError``
    saying why (``refusal``) and to change ``G.copy()`` instead."""

    __slots__ = ("index",)
    refusal = "a built catalogue's roles are read-only"

    def __contains__(self, role: object) -> bool:
        try:
            return role in self.index.position
        except TypeError:  # unhashable: no role
            return False

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.index.ids)

    def __len__(self) -> int:
        return len(self.index)

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError(f"{self.refusal}: change G.copy() instead")

    __setitem__ = __delitem__ = _refuse


class RoleTable(RoleMapping):
    """Every role's data, by role id, kept column by column (see the module).

    Built from a validated table of stripped strings with the columns of
    ``roles.csv``; iterates the ids in the table's order.

    Examples
    --------
    >>> import pandas as pd
    >>> table = RoleTable(pd.DataFrame({
    ...     "id": ["a", "b"], "title": ["Clerk", "Boss"], "family": ["F", "F"],
    ...     "level": ["1", "2.0"], "skills": ["Filing; Typing", ""]}))
    >>> list(table), table["a"]
    (['a', 'b'], {'id': 'a', 'title': 'Clerk', 'family': 'F', 'level': 1, 'skills': ['Filing', 'Typing']})
    >>> table["b"]["level"], "skills" in table["b"], table["b"].get("skills", [])
    (2, False, [])
    >>> table["b"]["level"] = 3
    Traceback (most recent call last):
    ...
    TypeError: a built catalogue's roles are read-only: change G.copy() instead
    """  # noqa: E501 (a doctest's output is one line)

    __slots__ = ("_columns", "_levels")

    def __init__(self, roles: pd.DataFrame) -> None:
        self.index = RoleIndex(roles["id"].tolist())
        self._levels = roles[_LEVEL].astype(float).astype(np.int64).to_numpy()
        # In the table's order, as a record lists its cells; None for the two
        # columns kept apart, which every role fills.
        self._columns: dict[str, _Texts | None] = {
            column: None
            if column in ("id", _LEVEL)
            else _Texts.of_column(roles[column])
            for column in roles.columns
        }

    def __getitem__(self, role: Hashable) -> RoleRecord:
        return RoleRecord(self, self.index.position[role])

    def cell(self, position: int, column: str) -> object:
        """The cell of the role at ``position`` in ``column``, typed; raises
        ``KeyError`` for an empty cell or an unknown column."""
        if column == "id":
            return self.index.ids[position]
        if column == _LEVEL:
            return int(self._levels[position])
        texts = self._columns.get(column)
        value = "" if texts is None else texts[position]
        if not value:
            raise KeyError(column)
        return split_list(value) if column in ROLE_LIST_COLUMNS else value

    def column(self, column: str, default: object = None) -> list:
        """Every role's cell in ``column``, typed, in role order; ``default``
        for an empty one."""
        if column == "id":
            return list(self.index.ids)
        if column == _LEVEL:
            return self._levels.tolist()
        texts = self._columns.get(column)
        if texts is None:
            return [default] * len(self)
        listed = column in ROLE_LIST_COLUMNS
        return [
            (split_list(cell) if listed else cell) if cell else default
            for cell in texts.to_list()
        ]

    def distinct(
        self, column: str, default: object = None
    ) -> tuple[np.ndarray, list] | None:
        """:func:`distinct_values` of a text column: its cells hashed by
        pyarrow from their UTF-8 bytes, with no Python string per cell;
        ``None`` for the id and the level, and where the text cannot be read
        so."""
        if column in ("id", _LEVEL):
            return None
        if (texts := self._columns.get(column)) is None:  # no such column
            return np.zeros(len(self), dtype=np.intp), [default]
        cells = texts.as_arrow()
        if cells is None:
            return None
        encoded = cells.dictionary_encode()
        listed = column in ROLE_LIST_COLUMNS
        values = [
            (split_list(cell) if listed else cell) if cell else default
            for cell in encoded.dictionary.to_pylist()
        ]
        return encoded.indices.to_numpy(), values

    def columns_of(self, position: int) -> Iterator[str]:
        """The columns whose cell is not empty for the role at ``position``."""
        for column, texts in self._columns.items():
            if texts is None or texts[position]:
                yield column

    def __reduce__(self) -> tuple:
        return (_restored, (self.index, self._levels, self._columns))

    def __repr__(self) -> str:
        return f"<RoleTable of {len(self):,} roles>"


def _restored(
    index: RoleIndex, levels: np.ndarray, columns: dict[str, _Texts | None]
) -> RoleTable:
    table = RoleTable.__new__(RoleTable)
    table.index, table._levels, table._columns = index, levels, columns
    return table


class RoleRecord(Mapping):
    """One role's data in a :class:`RoleTable`: its non-empty cells, read
    when asked for. Read-only; ``copy()`` gives a dict."""

    __slots__ = ("_position", "_table")

    def __init__(self, table: RoleTable, position: int) -> None:
        self._table, self._position = table, position

    def __getitem__(self, column: str) -> object:
        return self._table.cell(self._position, column)

    def __iter__(self) -> Iterator[str]:
        return self._table.columns_of(self._position)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    refusal = RoleMapping.refusal
    __setitem__ = __delitem__ = update = RoleMapping._refuse

    def copy(self) -> dict:
        return dict(self.items())

    def __reduce__(self) -> tuple:
        return (dict, (self.copy(),))

    def __repr__(self) -> str:
        return repr(self.copy())


def node_values(G: nx.Graph, column: str, default: object = None) -> list:
    """Every role's ``column`` in node order (``default`` where it has none):
    read as one column from a :class:`RoleTable`, else from each node's dict.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", title="Clerk")
    >>> G.add_node("b")
    >>> node_values(G, "title", "")
    ['Clerk', '']
    """
    if isinstance(G._node, RoleTable):
        return G._node.column(column, default)
    return [data.get(column, default) for data in G._node.values()]


def distinct_values(
    G: nx.Graph, column: str, default: object = None
) -> tuple[np.ndarray, list]:
    """Every role's ``column`` (as :func:`node_values` gives it) as a code
    into a list of values, one per distinct cell, in the order first met: for
    work done once per distinct value, where titles and aliases repeat across
    roles. (Two list cells written apart, ``a;b`` and ``a; b``, may give
    equal lists.)

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", aliases=["x", "y"])
    >>> G.add_node("b")
    >>> G.add_node("c", aliases=["x", "y"])
    >>> codes, values = distinct_values(G, "aliases", [])
    >>> codes.tolist(), values
    ([0, 1, 0], [['x', 'y'], []])
    """
    if isinstance(G._node, RoleTable):
        if (found := G._node.distinct(column, default)) is not None:
            return found
    values, code_of = [], {}
    codes = np.empty(len(G), dtype=np.intp)
    for position, value in enumerate(node_values(G, column, default)):
        key = tuple(value) if isinstance(value, list) else value
        try:
            code = code_of.setdefault(key, len(values))
        except TypeError:  # unhashable: a value of its own
            code = len(values)
        if code == len(values):
            values.append(value)
        codes[position] = code
    return codes, values


def level_array(G: nx.Graph) -> np.ndarray:
    """Every role's level in node order, as an array: a built catalogue's
    own, else read from each node's data.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", level=2)
    >>> level_array(G).tolist()
    [2]
    """
    if isinstance(G._node, RoleTable):
        return G._node._levels
    return np.asarray(node_values(G, _LEVEL))


def role_ids(G: nx.Graph) -> list[Hashable]:
    """The roles in node order: a built catalogue's own list of ids, which
    indexes that keep positions share (and pickle once with the graph), else
    a new list.

    Examples
    --------
    >>> role_ids(nx.Graph([("a", "b")]))
    ['a', 'b']
    """
    if isinstance(G._node, RoleTable):
        return G._node.index.ids
    return list(G)
