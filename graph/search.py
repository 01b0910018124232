"""Finding roles by id, title or alias, tolerant of case, abbreviations and typos."""

from __future__ import annotations

import difflib
import re

import networkx as nx

from graph.errors import RoleNotFound
from graph.indexes import derived

__all__ = ["find_role", "search_roles", "role_lookup", "normalise"]

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


def normalise(text: str) -> str:
    """Lower-case, punctuation to spaces, abbreviations expanded.

    Examples
    --------
    >>> normalise("  Sr. Ops-Mgr ")
    'senior operations manager'
    """
    words = re.sub(r"[^\w]+", " ", text.casefold()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def _build_lookup(G: nx.Graph) -> dict[str, list[str]]:
    lookup: dict[str, list[str]] = {}
    for role_id, data in G.nodes(data=True):
        names = [role_id, data.get("title", ""), *data.get("aliases", [])]
        for name in dict.fromkeys(normalise(str(name)) for name in names):
            if name:
                lookup.setdefault(name, []).append(role_id)
    return lookup


def role_lookup(G: nx.Graph) -> dict[str, list[str]]:
    """The normalised id, title and aliases of each role, mapped to role ids.

    A derived index (see :mod:`graph.indexes`): built once, kept in the graph.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("om", title="Operations Manager", aliases=["Ops Mgr"])
    >>> role_lookup(G)
    {'om': ['om'], 'operations manager': ['om']}
    """
    return derived(G, "lookup", _build_lookup)


def search_roles(G: nx.Graph, text: str, limit: int = 10) -> list[str]:
    """Role ids matching ``text``, best first.

    Exact id, title or alias first; then names containing every word of the
    query (as words or word starts); then close spellings.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("om", title="Operations Manager", aliases=["OM"])
    >>> G.add_node("wm", title="Warehouse Manager")
    >>> search_roles(G, "ops mgr"), search_roles(G, "manager")
    (['om'], ['om', 'wm'])
    >>> search_roles(G, "Warehose Manger")
    ['wm']
    """
    query = normalise(text)
    if not query:
        return []
    lookup = role_lookup(G)
    found: dict[str, None] = dict.fromkeys(lookup.get(query, []))
    words = query.split()
    for name, role_ids in lookup.items():
        if len(found) >= limit:
            break
        name_words = name.split()
        if all(any(w.startswith(q) for w in name_words) for q in words):
            found.update(dict.fromkeys(role_ids))
    if len(found) < limit:
        for name in difflib.get_close_matches(query, lookup, n=limit, cutoff=0.75):
            found.update(dict.fromkeys(lookup[name]))
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
    exact = role_lookup(G).get(query, [])
    if exact:
        return exact[0]
    matches = search_roles(G, text, limit=_SUGGESTIONS)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        matches = _loose_matches(G, query)
    if matches:
        names = ", ".join(repr(G.nodes[m].get("title", m)) for m in matches)
        message = f"No role {text!r}; did you mean {names}?"
    else:
        message = f"No role {text!r}."
    raise RoleNotFound(message, matches)


def _loose_matches(G: nx.Graph, query: str) -> list[str]:
    lookup = role_lookup(G)
    names = difflib.get_close_matches(query, lookup, n=_SUGGESTIONS, cutoff=0.5)
    return list(dict.fromkeys(role for name in names for role in lookup[name]))
