"""Lookup on real titles: 240 alternate titles from O*NET, each naming one
occupation, typed three ways (as listed; lower case without the bracketed
abbreviation; words in reverse order), against the bundled O*NET catalogue."""

from __future__ import annotations

import pickle
import re

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import find_role, load_graph, make_graph, role_lookup, search_roles
from graph.search import _alias_names, _normalised_ids, normalise
from tests.conftest import BUNDLED_DATA, REPO

ONET = REPO.parent / "shared" / "onet_29_3"
SAMPLE = 240


@pytest.fixture(scope="module")
def onet_graph():
    return load_graph(BUNDLED_DATA / "onet")[0]


def _typed(title: str, way: int) -> str:
    plain = re.sub(r"\s*\([^)]*\)", "", title).strip()
    if way == 0:
        return title
    if way == 1:
        return plain.lower()
    words = plain.split()
    return " ".join(reversed(words)) if len(words) > 1 else f"{plain}s"


@pytest.fixture(scope="module")
def queries(onet_graph):
    titles = pd.read_excel(
        ONET / "Alternate Titles.xlsx", dtype=str, keep_default_na=False
    )
    titles = titles[titles["O*NET-SOC Code"].isin(set(onet_graph))]
    occupations = titles.groupby("Alternate Title")["O*NET-SOC Code"].nunique()
    unambiguous = titles[titles["Alternate Title"].map(occupations) == 1]
    sample = unambiguous.sample(n=SAMPLE, random_state=29)
    return [
        (_typed(title, number % 3), code)
        for number, (title, code) in enumerate(
            zip(sample["Alternate Title"], sample["O*NET-SOC Code"], strict=True)
        )
    ]


def test_top_1_and_top_5_accuracy_on_real_titles(onet_graph, queries):
    results = [(search_roles(onet_graph, q, limit=5), code) for q, code in queries]
    top1 = sum(bool(found) and found[0] == code for found, code in results)
    top5 = sum(code in found for found, code in results)
    print(f"top-1 {top1 / len(queries):.1%}, top-5 {top5 / len(queries):.1%}")
    assert top1 / len(queries) >= 0.90
    assert top5 / len(queries) >= 0.98


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("accountant", "Accountants and Auditors"),  # singular of a title word
        ("nurse", "Registered Nurses"),  # a one-word query
        ("Cashier", "Cashiers"),  # singular of the whole title
        ("electrician", "Electricians"),
        ("nurses registered", "Registered Nurses"),  # another word order
    ],
)
def test_real_titles_the_issue_named(onet_graph, text, title):
    assert onet_graph.nodes[find_role(onet_graph, text)]["title"] == title


def test_an_exact_title_beats_an_alias(onet_graph):
    # Alternate titles of one occupation repeat other occupations' titles; the
    # title always wins.
    titles = {data["title"]: role for role, data in onet_graph.nodes(data=True)}
    for title, role in list(titles.items())[:200]:
        assert find_role(onet_graph, title) == role, title


def test_a_lookup_read_back_from_the_cache_answers_as_built(onet_graph, queries):
    # the lookup pickles as strings and arrays and splits its names again
    read_back = pickle.loads(pickle.dumps(onet_graph))
    assert "lookup" in read_back.graph
    for text, _ in queries:
        expected = search_roles(onet_graph, text, limit=10)
        assert search_roles(read_back, text, limit=10) == expected
        assert find_role(read_back, text) == find_role(onet_graph, text)


def _names_the_plain_way(G: nx.Graph) -> dict[str, list[tuple[int, object]]]:
    """What the lookup must hold, built in a loop over the roles: each
    normalised name's (how given, role) pairs, names in the order first met,
    a role once per name and kind, best kind first, node order within it."""
    names: dict[str, list[tuple[int, object]]] = {}
    for role, data in G.nodes(data=True):
        given = [(0, role), (1, data.get("title", ""))]
        given += [(2, alias) for alias in _alias_names(data.get("aliases", ()))]
        for kind, name in given:
            key = normalise(str(name))
            if key and (kind, role) not in names.setdefault(key, []):
                names[key].append((kind, role))
    return {
        key: sorted(pairs, key=lambda pair: pair[0]) for key, pairs in names.items()
    }


def _assert_lookup_holds(G: nx.Graph) -> None:
    expected = _names_the_plain_way(G)
    lookup = role_lookup(G)
    assert lookup.names == list(expected)
    for key, pairs in expected.items():
        assert lookup.exact(key) == pairs
        # every name's words in another order find at least its own roles
        reordered = " ".join(reversed(key.split()))
        found = lookup.in_any_word_order(reordered)
        alone_an_id = len(pairs) == 1 and pairs[0][0] == 0
        assert alone_an_id or set(pairs) <= set(found)


def test_the_onet_lookup_holds_what_a_plain_loop_finds(onet_graph):
    # 923 occupations with about 50,000 alternate titles, many bracketed
    _assert_lookup_holds(onet_graph)


_WORDS = st.sampled_from(["Ops", "Mgr", "Manager", "Nurses", "Nurse", "(RN)", "--"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(_WORDS, max_size=3).map(" ".join),
            st.lists(st.lists(_WORDS, max_size=3).map(" ".join), max_size=4),
        ),
        max_size=8,
    )
)
def test_a_lookup_holds_what_a_plain_loop_finds(roles):
    # titles and aliases that repeat, normalise alike, to nothing ("--"),
    # or hold a bracketed part; ids that normalise like a title ("mgr-1");
    # in a graph built by hand, and in a built catalogue, whose columns are
    # read a distinct cell at a time
    G = nx.DiGraph()
    for number, (title, aliases) in enumerate(roles):
        G.add_node(f"mgr-{number}", title=title, aliases=aliases)
    _assert_lookup_holds(G)
    if not roles:
        return  # a catalogue has a role
    built = make_graph(
        {
            "id": role,
            "title": data["title"] or "--",
            "family": "F",
            "level": 1,
            "aliases": ";".join(data["aliases"]),
        }
        for role, data in G.nodes(data=True)
    )
    _assert_lookup_holds(built)


@given(st.lists(st.text("aSß-_ .1²İ", max_size=8)))
def test_ids_normalise_as_one_by_one(ids):
    # a shared prefix normalised once must give what each id gives alone:
    # digits of other scripts, letters that case-fold to two, word breaks
    assert _normalised_ids(ids) == [normalise(role_id) for role_id in ids]
