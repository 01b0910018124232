"""What the graph draws: readable neighbourhoods and families told apart."""

from __future__ import annotations

import pytest

from graph import family_colours, make_graph, select_view, view_payload
from graph.render import CLOSEST_SHOWN, LARGE_CATALOGUE, MORE_PREFIX


@pytest.fixture
def hub():
    """A large catalogue: ``hub`` related to 20 roles (rank 1 = closest), each
    of them related to the next one."""
    count = LARGE_CATALOGUE + 1
    roles = [{"id": "hub", "title": "Hub", "family": "F", "level": 2}] + [
        {"id": f"r{i:03}", "title": f"Role {i:03}", "family": "F", "level": 1}
        for i in range(1, count)
    ]
    edges = [("hub", f"r{i:03}", "related") for i in range(1, 21)]
    edges += [(f"r{i:03}", f"r{i + 1:03}", "related") for i in range(1, 20)]
    G = make_graph(roles, edges).copy()  # a built graph's edge data is shared
    for i in range(1, 21):
        G["hub"][f"r{i:03}"]["related"]["rank"] = 21 - i  # r020 is the closest
    return G


def test_a_large_catalogue_shows_the_closest_relations_and_a_more_node(hub):
    view = select_view(hub, focus="hub")
    assert view.roles[0] == "hub"
    assert set(view.roles[1:]) == {f"r{i:03}" for i in range(13, 21)}
    assert dict(view.hidden) == {"hub": 20 - CLOSEST_SHOWN}
    payload = view_payload(hub, view)
    more = next(n for n in payload["nodes"] if n["id"] == f"{MORE_PREFIX}hub")
    assert more["label"] == "+12 more"
    # only the selected role's relations are drawn, not those among its
    # neighbours (r013 -> r014 ...), which made real neighbourhoods a hairball
    drawn = {(e["from"], e["to"]) for e in payload["edges"]}
    assert ("r013", "r014") not in drawn
    assert ("hub", "r020") in drawn


@pytest.mark.parametrize(
    ("clicks", "shown", "hidden"),
    [
        (1, 16, {"hub": 4}),  # one click: eight more
        (2, 20, {}),  # two clicks: all twenty, no more node
    ],
)
def test_each_more_click_brings_the_next_closest(hub, clicks, shown, hidden):
    view = select_view(hub, focus="hub", expanded=["hub"] * clicks)
    assert len(view.roles) - 1 == shown
    assert dict(view.hidden) == hidden


def test_a_small_catalogue_shows_everything(hub):
    small = hub.subgraph(["hub", "r001", "r002"]).copy()
    view = select_view(small, focus="hub")
    assert (len(view.roles), dict(view.hidden), view.interior) == (3, {}, None)


def test_thirty_families_each_get_their_own_colour_and_shape():
    G = make_graph(
        [
            {"id": f"r{i}", "title": f"R{i}", "family": f"Family {i:02}", "level": 1}
            for i in range(30)
        ],
        [],
    )
    styles = family_colours(G)
    assert len(set(styles.values())) == 30
    payload = view_payload(G, select_view(G))
    outlines = {str(n["shapeProperties"]) for n in payload["nodes"]}
    assert len(outlines) == 3  # box, pill, dashed box


def test_the_svg_export_parses_and_holds_text_as_text():
    from xml.etree import ElementTree

    from graph.export import view_svg

    hostile = "<script>alert(1)</script> & \x01\x1b"
    G = make_graph(
        [
            {"id": "a", "title": hostile, "family": "F", "level": 1},
            {"id": "b", "title": "Boss", "family": "F", "level": 2},
            {"id": "c", "title": "Chief", "family": "G", "level": 3},
        ],
        [("a", "b", "reports_to"), ("a", "c", "promotion"), ("b", "c", "reports_to")],
    )
    payload = view_payload(G, select_view(G))
    root = ElementTree.fromstring(view_svg(payload, "Org <chart>"))
    svg = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{svg}title").text == "Org <chart>"
    # a box and a label per role, a line per relation, an arrowhead each
    assert len(root.findall(f"{svg}rect")) == 1 + 3  # the white ground, boxes
    assert len(root.findall(f"{svg}polyline")) == len(payload["edges"]) == 3
    assert len(root.findall(f"{svg}polygon")) == 3
    words = " ".join(t.text for t in root.iter(f"{svg}tspan"))
    assert "<script>alert" in words  # as text, not as markup
    assert "\\x01" in words and "\x01" not in words
    assert root.find(f"{svg}script") is None
