"""What differs between two versions of a catalogue: roles and relations added,
removed and changed, with the fields that changed."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graph.errors import InvalidData
from graph.reading import read_table
from graph.schema import EDGE_REQUIRED, EDGES_FILE, ROLES_FILE
from graph.validation import ValidationReport

__all__ = [
    "Changes",
    "catalogue_changes",
    "describe_counts",
    "read_catalogue_tables",
]

Relation = tuple[str, str, str]


@dataclass(frozen=True)
class Changes:
    """The difference from an older catalogue to a newer one."""

    roles_added: tuple[str, ...] = ()
    roles_removed: tuple[str, ...] = ()
    #: role id -> the columns whose cells differ
    roles_changed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    relations_added: tuple[Relation, ...] = ()
    relations_removed: tuple[Relation, ...] = ()
    #: (source, target, type) -> the columns whose cells differ
    relations_changed: dict[Relation, tuple[str, ...]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many of each kind of change, under stable names."""
        return {
            "roles_added": len(self.roles_added),
            "roles_removed": len(self.roles_removed),
            "roles_changed": len(self.roles_changed),
            "relations_added": len(self.relations_added),
            "relations_removed": len(self.relations_removed),
            "relations_changed": len(self.relations_changed),
        }

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        return {
            "counts": self.counts(),
            "roles_added": list(self.roles_added),
            "roles_removed": list(self.roles_removed),
            "roles_changed": {k: list(v) for k, v in self.roles_changed.items()},
            "relations_added": [list(r) for r in self.relations_added],
            "relations_removed": [list(r) for r in self.relations_removed],
            "relations_changed": [
                {"relation": list(r), "fields": list(f)}
                for r, f in self.relations_changed.items()
            ],
        }


def describe_counts(counts: dict[str, int]) -> str:
    """Counts of changes in words.

    Examples
    --------
    >>> describe_counts({"roles_added": 2, "roles_changed": 1, "relations_removed": 1})
    '2 roles added, 1 changed; 1 relation removed'
    >>> describe_counts({})
    'no changes'
    """
    parts = []
    for noun in ("role", "relation"):
        said = [
            (counts[f"{noun}s_{what}"], what)
            for what in ("added", "removed", "changed")
            if counts.get(f"{noun}s_{what}")
        ]
        if said:
            # the noun goes after the first number: "2 roles added, 1 changed"
            first, what = said[0]
            words = [f"{first} {noun}{'s' * (first != 1)} {what}"]
            parts.append(", ".join(words + [f"{n} {w}" for n, w in said[1:]]))
    return "; ".join(parts) or "no changes"


def read_catalogue_tables(
    roles: bytes | None, edges: bytes | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of a catalogue's files, as :func:`graph.read_table` reads
    them. Raises :class:`InvalidData` when a file cannot be read."""
    report = ValidationReport()
    role_table = read_table(roles, ROLES_FILE, report)
    edge_table = read_table(edges, EDGES_FILE, report)
    if not report.ok:
        raise InvalidData(report)
    return role_table, edge_table


_KEY_SEPARATOR = "\x1f"  # the unit separator never occurs in a stripped cell


def _keyed(table: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """``table`` indexed by its key columns joined into one string (a flat
    index keeps lookups hashed; a MultiIndex answers them one by one)."""
    # object dtype throughout: arrow strings would make isin a Python loop
    joined = table[key[0]].to_numpy(dtype=object)
    for column in key[1:]:
        joined = joined + _KEY_SEPARATOR + table[column].to_numpy(dtype=object)
    keyed = table.drop(columns=key).set_axis(pd.Index(joined, dtype=object), axis=0)
    return keyed[~keyed.index.duplicated()]


def _compare(
    old: pd.DataFrame, new: pd.DataFrame, key: list[str]
) -> tuple[list, list, dict]:
    """Keys added, keys removed, and key -> changed columns; keys as tuples
    when ``key`` has several columns."""
    old_rows, new_rows = _keyed(old, key), _keyed(new, key)
    unkey = (
        (lambda k: k) if len(key) == 1 else (lambda k: tuple(k.split(_KEY_SEPARATOR)))
    )
    added = [unkey(k) for k in new_rows.index[~new_rows.index.isin(old_rows.index)]]
    removed = [unkey(k) for k in old_rows.index[~old_rows.index.isin(new_rows.index)]]
    common = new_rows.index[new_rows.index.isin(old_rows.index)]
    columns = sorted(set(old_rows.columns) | set(new_rows.columns))
    before = old_rows.reindex(index=common, columns=columns).fillna("").to_numpy()
    after = new_rows.reindex(index=common, columns=columns).fillna("").to_numpy()
    differs = before != after
    names = np.array(columns, dtype=object)
    changed = {
        unkey(common[row]): tuple(names[differs[row]])
        for row in np.flatnonzero(differs.any(axis=1))
    }
    return added, removed, changed


def catalogue_changes(
    old: tuple[pd.DataFrame, pd.DataFrame], new: tuple[pd.DataFrame, pd.DataFrame]
) -> Changes:
    """The changes from the ``old`` (roles, edges) tables to the ``new`` ones.

    Examples
    --------
    >>> roles = pd.DataFrame({"id": ["a", "b"], "title": ["A", "B"]})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "type": ["lateral"]})
    >>> newer = pd.DataFrame({"id": ["a", "c"], "title": ["A2", "C"]})
    >>> c = catalogue_changes((roles, edges), (newer, edges.iloc[:0]))
    >>> c.roles_added, c.roles_removed, c.roles_changed, c.relations_removed
    (('c',), ('b',), {'a': ('title',)}, (('a', 'b', 'lateral'),))
    """
    roles_added, roles_removed, roles_changed = _compare(old[0], new[0], ["id"])
    edge_key = list(EDGE_REQUIRED)
    relations_added, relations_removed, relations_changed = _compare(
        old[1], new[1], edge_key
    )
    return Changes(
        roles_added=tuple(roles_added),
        roles_removed=tuple(roles_removed),
        roles_changed=roles_changed,
        relations_added=tuple(relations_added),
        relations_removed=tuple(relations_removed),
        relations_changed=relations_changed,
    )
