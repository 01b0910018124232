"""Finding roles by id, title or alias, tolerant of case, abbreviations,
singular and plural, word order and typos.

An exact id or title always beats an alias; close spellings come from
rapidfuzz over every name of every role.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache
from itertools import chain
from operator import itemgetter

import networkx as nx
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from graph.bulk import collection_paused, group_places, stable_order
from graph.errors import RoleNotFound
from graph.indexes import derived
from graph.roletable import distinct_values, role_ids

__all__ = [
    "find_role",
    "search_roles",
    "suggest_roles",
    "role_lookup",
    "normalise",
    "RoleLookup",
]

#: Common abbreviations in job titles, expanded before matching.
_ABBREVIATIONS = {
    "ops": "operations",
    "op": "operations",
    "mgr": "manager",
    "mngr": "manager",
    "mgmt": "management",
    "dir": "director",
    "coord": "coordinator",
    "asst": "assistant",
    "assoc": "associate",
    "sr": "senior",
    "jr": "junior",
    "vp": "vice president",
    "exec": "executive",
    "admin": "administrator",
    "sc": "supply chain",
}
_SUGGESTIONS = 3
#: How a name was given, best first: an exact id or title beats an alias.
_ID, _TITLE, _ALIAS = 0, 1, 2
_KIND_COUNT = 3
_PARENTHESIS = re.compile(r"\(([^)]*)\)")
_WORD = re.compile(r"\w+")
#: Close spellings below this rapidfuzz score (0-100) are not offered.
_FUZZY_CUTOFF = 80
_SUGGESTION_CUTOFF = 55


def _singular(word: str) -> str:
    """A plural English word's singular, by the common rules (both sides of a
    comparison go through it, so an odd stem still matches itself)."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def normalise(text: str) -> str:
    """Lower-case, punctuation to spaces, abbreviations expanded, singular.

    Examples
    --------
    >>> normalise("  Sr. Ops-Mgrs ")
    'senior operation manager'
    >>> normalise("Registered Nurses") == normalise("registered nurse")
    True
    """
    words = _WORD.findall(text.casefold())
    # Numbers pass as they are, and around the word cache: ids such as
    # "analyst-73912" would fill it with 100,000 numbers and push the words out.
    return " ".join([w if w.isdigit() else _normal_word(w) for w in words])


@lru_cache(maxsize=1 << 16)
def _normal_word(word: str) -> str:
    """One lower-case word, expanded and singular. Cached: a catalogue's
    titles and aliases reuse a few thousand words, so a 100,000-role lookup
    normalises each word once instead of about eighteen times."""
    expanded = _ABBREVIATIONS.get(word) or _ABBREVIATIONS.get(_singular(word)) or word
    return " ".join(_singular(part) for part in expanded.split())


def _normalised_ids(ids: Iterable[Hashable]) -> list[str]:
    """Each id :func:`normalise`-d. Ids often end in a number after a prefix
    that many share ("analyst-73912", "analyst-73913"): the prefix is
    normalised once, and the number passes as it is (a word break such as
    "-" splits no word, so the halves normalise apart).

    Examples
    --------
    >>> _normalised_ids(["Sr-Analyst-7", "sr-analyst-8", "x-2b", "--3"])
    ['senior analyst 7', 'senior analyst 8', 'x 2b', '3']
    """
    prefixes: dict[str, str] = {}
    keys = []
    for role_id in map(str, ids):
        head, dash, tail = role_id.rpartition("-")
        if not (dash and tail.isascii() and tail.isdigit()):
            keys.append(normalise(role_id))
            continue
        prefix = prefixes.get(head)
        if prefix is None:
            prefix = prefixes[head] = normalise(head)
        keys.append(f"{prefix} {tail}" if prefix else tail)
    return keys


def _word_order_key(name: str) -> str:
    return " ".join(sorted(name.split()))


class RoleLookup:
    """Every name of every role, normalised: what searches match a query
    against, exactly, in another word order, word by word or by spelling.

    Kept in a few strings and arrays rather than a list per name (a million
    roles have over a million names): :attr:`lines` holds every name, one a
    line, and each name's hits (how the name was given, and the role's
    position in :attr:`roles`) lie in arrays, best kind first. Names with
    the same words in another order share a line of their own. It pickles
    as those; the names and their positions are split out again when read
    back, which took 0.3 s instead of 4 s for a million roles' lists.
    """

    __slots__ = (
        "_hit_kinds",
        "_hit_roles",
        "_hit_starts",
        "_name_at",
        "_order_at",
        "_order_lines",
        "_order_names",
        "_order_starts",
        "lines",
        "names",
        "roles",
    )

    def __init__(
        self,
        lines: str,
        roles: Sequence[Hashable],
        hits: tuple[np.ndarray, np.ndarray, np.ndarray],
        orders: tuple[str, np.ndarray, np.ndarray],
        *,
        names: list[str] | None = None,
    ) -> None:
        #: every name, one a line: what a search for word starts scans with
        #: one regular expression instead of a Python loop over every name
        self.lines = lines
        #: the roles, by the positions the hits name (the graph's own ids)
        self.roles = roles
        self._hit_starts, self._hit_kinds, self._hit_roles = hits
        self._order_lines, self._order_starts, self._order_names = orders
        #: the list rapidfuzz searches (``lines``, split: read back, it comes
        #: as that string alone)
        self.names: list[str] = (
            names if names is not None else lines.split("\n") if lines else []
        )
        self._name_at = dict(zip(self.names, range(len(self.names)), strict=True))
        order_keys = self._order_lines.split("\n") if self._order_lines else []
        self._order_at = dict(zip(order_keys, range(len(order_keys)), strict=True))

    def exact(self, name: str) -> list[tuple[int, Hashable]]:
        """The ``(how given, role)`` pairs of a normalised name, best first."""
        at = self._name_at.get(name)
        return [] if at is None else self._hits_of(at)

    def in_any_word_order(self, name: str) -> list[tuple[int, Hashable]]:
        """The pairs of every name with the words of ``name`` (a normalised
        name) in any order, best first; names that are only an id are left
        out (a query in another word order still finds them by their words)."""
        at = self._order_at.get(_word_order_key(name))
        if at is None:
            return []
        start, end = self._order_starts[at : at + 2].tolist()
        members = self._order_names[start:end].tolist()
        pairs = [pair for member in members for pair in self._hits_of(member)]
        return sorted(pairs, key=itemgetter(0)) if len(members) > 1 else pairs

    def _hits_of(self, at: int) -> list[tuple[int, Hashable]]:
        start, end = self._hit_starts[at : at + 2].tolist()
        roles = self.roles
        positions = self._hit_roles[start:end].tolist()
        kinds = self._hit_kinds[start:end].tolist()
        return list(zip(kinds, [roles[p] for p in positions], strict=True))

    def __reduce__(self) -> tuple:
        hits = (self._hit_starts, self._hit_kinds, self._hit_roles)
        orders = (self._order_lines, self._order_starts, self._order_names)
        return (RoleLookup, (self.lines, self.roles, hits, orders))


def _alias_names(aliases: Iterable[str]) -> list[str]:
    """A role's aliases as names: "CEO (Chief Executive Officer)" gives both
    halves and the whole."""
    names = []
    for alias in aliases:
        names.append(alias)
        names.extend(_PARENTHESIS.findall(alias))
        if "(" in alias:
            names.append(_PARENTHESIS.sub(" ", alias))
    return names


def _build_lookup(G: nx.Graph) -> RoleLookup:
    with collection_paused():
        return _lookup_of(G)


def _lookup_of(G: nx.Graph) -> RoleLookup:
    ids = role_ids(G)
    names, name_at, kinds, role_at = _every_name(G, ids)
    # Each name's hits best kind first, and in node order within a kind.
    order = stable_order(name_at * _KIND_COUNT + kinds)
    counts = np.bincount(name_at, minlength=len(names))
    hit_kinds, hit_roles = kinds[order], role_at[order]
    hit_starts = _starts(counts)
    # An id alone: "0 analyst" for analyst-0 helps nobody, and leaving such
    # names out of the word-order groups saves 100,000 strings on 100,000 roles.
    in_groups = np.flatnonzero((counts > 1) | (hit_kinds[hit_starts[:-1]] != _ID))
    group_codes, group_keys = pd.factorize(
        np.array(
            [_word_order_key(names[at]) for at in in_groups.tolist()], dtype=object
        )
    )
    members = in_groups[np.argsort(group_codes, kind="stable")].astype(np.int32)
    sizes = np.bincount(group_codes, minlength=len(group_keys))
    return RoleLookup(
        "\n".join(names),
        ids,
        (hit_starts, hit_kinds, hit_roles),
        ("\n".join(group_keys), _starts(sizes), members),
        names=names,
    )


def _every_name(
    G: nx.Graph, ids: Sequence[Hashable]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Every name of every role, normalised: the distinct names in the order
    a loop over the roles would meet them (id, title, aliases), and for each
    name a role was given, in that order, the name's position among them,
    how it was given and the role's position. A role's names that normalise
    alike count once per kind; names that normalise to nothing are left out.

    Flat arrays, where the loop made a list per name (7 s on a million
    roles). Titles and alias cells repeat across roles (every "Analyst"):
    each distinct one is read and normalised once, and only distinct names
    are hashed.
    """
    title_at, titles = distinct_values(G, "title", "")
    cell_at, alias_cells = distinct_values(G, "aliases", ())
    names_of_cell = [
        list(dict.fromkeys(normalise(name) for name in _alias_names(aliases)))
        for aliases in alias_cells
    ]
    per_cell = np.fromiter(map(len, names_of_cell), np.int64, len(names_of_cell))
    titles_from, aliases_from = len(ids), len(ids) + len(titles)
    given = np.empty(aliases_from + per_cell.sum(), dtype=object)
    given[:titles_from] = _normalised_ids(ids)
    given[titles_from:aliases_from] = [normalise(str(title)) for title in titles]
    given[aliases_from:] = list(chain.from_iterable(names_of_cell))
    number, distinct = pd.factorize(given)
    per_role = per_cell[cell_at] + 2
    block_starts = _starts(per_role)[:-1]
    role_at = np.repeat(np.arange(len(ids), dtype=np.int32), per_role)
    kinds = np.full(len(role_at), _ALIAS, dtype=np.int8)
    kinds[block_starts], kinds[block_starts + 1] = _ID, _TITLE
    name_at = np.empty(len(role_at), dtype=np.int64)
    name_at[block_starts] = number[:titles_from]
    name_at[block_starts + 1] = number[titles_from:aliases_from][title_at]
    alias_places, _ = group_places(_starts(per_cell), cell_at)
    name_at[kinds == _ALIAS] = number[aliases_from:][alias_places]
    if len(nothing := np.flatnonzero(distinct == "")):
        kept = name_at != nothing[0]
        name_at, kinds, role_at = name_at[kept], kinds[kept], role_at[kept]
    # renumbered in the order first met
    first_met = np.full(len(distinct), len(name_at))
    np.minimum.at(first_met, name_at, np.arange(len(name_at)))
    in_order = np.argsort(first_met)[: len(distinct) - len(nothing)]
    renumbered = np.empty(len(distinct), dtype=np.int64)
    renumbered[in_order] = np.arange(len(in_order))
    return distinct[in_order].tolist(), renumbered[name_at], kinds, role_at


def _starts(counts: np.ndarray) -> np.ndarray:
    """Where each group of ``counts`` begins in one flat array, and the end."""
    return np.concatenate(([0], np.cumsum(counts)))


def role_lookup(G: nx.Graph) -> RoleLookup:
    """The names of every role (see :class:`RoleLookup`).

    A derived index (see :mod:`graph.indexes`): built once, kept in the graph.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("om", title="Operations Manager", aliases=["Ops Mgr"])
    >>> lookup = role_lookup(G)
    >>> lookup.names, lookup.exact("operation manager")
    (['om', 'operation manager'], [(1, 'om'), (2, 'om')])
    >>> lookup.in_any_word_order("manager operation")
    [(1, 'om'), (2, 'om')]
    """
    return derived(G, "lookup", _build_lookup)


def _roles(pairs: Iterable[tuple[int, Hashable]]) -> list[Hashable]:
    return list(dict.fromkeys(role for _, role in pairs))


def _contains_every_word(lookup: RoleLookup, query: str, limit: int) -> list[str]:
    """Roles with a name holding every query word (as a word or a word start),
    shortest names first: the fewer extra words, the closer.

    The names holding the query's longest word are found by one regular
    expression over :attr:`RoleLookup.lines`; only those are checked for the
    other words (a Python loop over 100,000 names took half a second).
    """
    words = query.split()
    longest = max(words, key=len)
    lines = lookup.lines
    matched: list[tuple[int, int, str]] = []
    line_start = -1
    for found in re.finditer(rf"(?:^| ){re.escape(longest)}", lines, re.M):
        start = lines.rfind("\n", 0, found.start() + 1) + 1
        if start == line_start:  # the word again in a name already checked
            continue
        line_start = start
        end = lines.find("\n", found.end())
        name = lines[start : end if end >= 0 else len(lines)]
        name_words = name.split()
        if all(any(w.startswith(q) for w in name_words) for q in words):
            matched.extend(
                (len(name_words), kind, role) for kind, role in lookup.exact(name)
            )
            if len(matched) >= 50 * limit:  # enough to rank; bounded on big data
                break
    return list(dict.fromkeys(role for *_, role in sorted(matched)))


def _fuzzy(lookup: RoleLookup, query: str, limit: int, cutoff: int) -> list[str]:
    found = process.extract(
        query,
        lookup.names,
        scorer=fuzz.token_sort_ratio,
        limit=limit * 3,
        score_cutoff=cutoff,
    )
    return _roles(pair for name, _, _ in found for pair in lookup.exact(name))


def search_roles(G: nx.Graph, text: str, limit: int = 10) -> list[str]:
    """Role ids matching ``text``, best first.

    Exact id, title or alias first (titles before aliases); then the same
    words in another order; then names containing every word of the query
    (shortest first); then close spellings.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("om", title="Operations Manager", aliases=["OM"])
    >>> G.add_node("wm", title="Warehouse Manager")
    >>> search_roles(G, "ops mgr"), search_roles(G, "manager")
    (['om'], ['om', 'wm'])
    >>> search_roles(G, "Warehose Manger"), search_roles(G, "managers, warehouse")
    (['wm'], ['wm'])
    """
    query = normalise(text)
    if not query:
        return []
    lookup = role_lookup(G)
    found: dict[str, None] = dict.fromkeys(_roles(lookup.exact(query)))
    found.update(dict.fromkeys(_roles(lookup.in_any_word_order(query))))
    for more in (
        lambda: _contains_every_word(lookup, query, limit),
        lambda: _fuzzy(lookup, query, limit, _FUZZY_CUTOFF),
    ):
        if len(found) >= limit:
            break
        found.update(dict.fromkeys(more()))
    return list(found)[:limit]


def find_role(G: nx.Graph, text: str) -> str:
    """The id of the role named by ``text`` (an id, title or alias).

    Raises
    ------
    RoleNotFound
        If nothing matches well enough; the message names the closest roles.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("coo", title="Chief Operating Officer")
    >>> G.add_node("ceo", title="Chief Executive Officer")
    >>> find_role(G, "chief operating officer")
    'coo'
    >>> find_role(G, "Chief Operating Oficer")
    'coo'
    >>> find_role(G, "janitor")
    Traceback (most recent call last):
    ...
    graph.errors.RoleNotFound: No role 'janitor'.
    """
    if text in G:
        return text
    query = normalise(text)
    lookup = role_lookup(G)
    for pairs in (lookup.exact(query), lookup.in_any_word_order(query)):
        if pairs:
            return pairs[0][1]  # type: ignore[return-value]
    matches = search_roles(G, text, limit=_SUGGESTIONS)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        matches = _fuzzy(lookup, query, _SUGGESTIONS, _SUGGESTION_CUTOFF)[:_SUGGESTIONS]
    if matches:
        names = ", ".join(repr(G.nodes[m].get("title", m)) for m in matches)
        message = f"No role {text!r}; did you mean {names}?"
    else:
        message = f"No role {text!r}."
    raise RoleNotFound(message, matches)


def suggest_roles(G: nx.Graph, text: str) -> list[str]:
    """The roles :func:`find_role` would suggest for ``text``, closest first;
    none when ``text`` names a role.

    For a box that lists what matches as the user types: where
    :func:`search_roles` finds nothing (a swapped letter in the only word
    typed so far), these are still worth offering.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("coo", title="Chief Operating Officer")
    >>> G.add_node("wm", title="Warehouse Manager")
    >>> search_roles(G, "cheif operating"), suggest_roles(G, "cheif operating")
    ([], ['coo'])
    >>> suggest_roles(G, "Warehouse Manager")
    []
    """
    try:
        find_role(G, text)
    except RoleNotFound as error:
        return error.suggestions
    return []
