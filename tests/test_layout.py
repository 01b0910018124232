"""The layered layout: no route passes through a box it does not connect."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import all_reports, reporting_chain, select_view, view_payload
from graph.layout import Layout, crossed_boxes, layered_layout


def payload_layout(payload: dict) -> tuple[Layout, list[tuple]]:
    """The layout a payload draws, boxes as vis-network is told to size them
    (the constraints plus the margins), and its edges."""
    margin = payload["options"]["nodes"]["margin"]
    positions = {n["id"]: (n["x"], n["y"]) for n in payload["nodes"]}
    sizes = {
        n["id"]: (
            n["widthConstraint"]["maximum"] + 2 * margin,
            n["heightConstraint"]["minimum"] + 2 * margin,
        )
        for n in payload["nodes"]
    }
    routes = {e["id"]: tuple(map(tuple, e["points"])) for e in payload["edges"]}
    edges = [(e["id"], e["from"], e["to"]) for e in payload["edges"]]
    return Layout(positions, sizes, routes), edges


def on_border(point, centre, size) -> bool:
    (x, y), (cx, cy), (width, height) = point, centre, size
    inside = abs(x - cx) <= width / 2 + 1e-6 and abs(y - cy) <= height / 2 + 1e-6
    edge = abs(abs(x - cx) - width / 2) < 1e-6 or abs(abs(y - cy) - height / 2) < 1e-6
    return inside and edge


def assert_well_routed(layout: Layout, edges: list[tuple]) -> None:
    assert crossed_boxes(layout, edges) == []
    for key, u, v in edges:
        route = layout.routes[key]
        assert len(route) >= 2
        # from the source's border to the target's, in straight runs
        assert on_border(route[0], layout.positions[u], layout.sizes[u])
        assert on_border(route[-1], layout.positions[v], layout.sizes[v])
        for (x0, y0), (x1, y1) in pairwise(route):
            assert x0 == x1 or y0 == y1


@st.composite
def layered_graphs(draw):
    """Random tiers of boxes of random heights, and random edges between
    them: skip-level, same-row, same-tier and repeated ones included."""
    count = draw(st.integers(1, 28))
    nodes = [f"n{i}" for i in range(count)]
    tiers = {n: draw(st.integers(0, 5)) for n in nodes}
    heights = {n: draw(st.sampled_from([42, 64, 86, 108, 152])) for n in nodes}
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=60)
    )
    edges = [(f"e{i}", u, v) for i, (u, v) in enumerate(pairs) if u != v]
    row_length = draw(st.integers(1, 5))
    return tiers, heights, edges, row_length


@settings(max_examples=150, deadline=None)
@given(layered_graphs())
def test_random_layered_graphs_are_routed_around_every_box(graph):
    tiers, heights, edges, row_length = graph
    layout = layered_layout(tiers, edges, heights=heights, row_length=row_length)
    assert_well_routed(layout, edges)
    # boxes never overlap one another
    boxes = sorted(
        (y - layout.sizes[n][1] / 2, y + layout.sizes[n][1] / 2, x, n)
        for n, (x, y) in layout.positions.items()
    )
    for i, (_, bottom, x, _) in enumerate(boxes):
        for other_top, _, other_x, _ in boxes[i + 1 :]:
            if other_top >= bottom:
                break
            assert abs(other_x - x) >= 160


@pytest.fixture
def operations_graph(bundled):
    return bundled[0]


def test_the_issues_four_crossings_are_gone(operations_graph):
    # Assistant -> Manager drawn through Coordinator, Manager -> Warehouse
    # through Supply Chain, Manager -> Business through Logistics, Manager ->
    # CEO through COO: each now goes around
    layout, edges = payload_layout(
        view_payload(operations_graph, select_view(operations_graph))
    )
    assert_well_routed(layout, edges)
    skip_level = layout.routes["operations-assistant|operations-manager|promotion"]
    assert len(skip_level) > 2


@pytest.fixture(scope="module")
def onet_sample(onet_graph):
    return random.Random(29).sample(sorted(onet_graph), 12)


@pytest.mark.parametrize("depth", [1, 2, 3])  # the app's neighbourhood depths
def test_real_onet_neighbourhoods_are_routed_around_every_box(
    onet_graph, onet_sample, depth
):
    for role in onet_sample:
        view = select_view(onet_graph, focus=role, depth=depth)
        assert_well_routed(*payload_layout(view_payload(onet_graph, view)))


def test_an_org_view_with_two_managers_is_routed_around_every_box(operations_graph):
    # Operations Manager reports to both the COO and the CEO
    G = operations_graph
    role = "operations-manager"
    chain = reporting_chain(G, role)
    team = all_reports(G, role, depth=2)
    top = len(chain) - 1
    tiers = {r: top - i for i, r in enumerate(chain)} | {
        r: top + depth for r, depth in team.items()
    }
    view = select_view(G, roles=set(tiers), focus=role, depth=len(tiers))
    payload = view_payload(G, view, edge_types=("reports_to",), tiers=tiers)
    layout, edges = payload_layout(payload)
    assert_well_routed(layout, edges)
    ceo, coo = (
        layout.positions[r][1]
        for r in ("chief-executive-officer", "chief-operating-officer")
    )
    assert ceo < coo < layout.positions[role][1]


def test_a_row_length_below_one_is_refused():
    with pytest.raises(ValueError, match="row_length must be at least 1"):
        layered_layout({"a": 0}, [], heights={"a": 40}, row_length=0)


def test_an_edge_from_a_box_to_itself_gets_an_empty_route():
    layout = layered_layout(
        {"a": 0, "b": 1},
        [("loop", "a", "a"), ("ab", "a", "b")],
        heights={"a": 40, "b": 40},
    )
    assert layout.routes["loop"] == () and len(layout.routes["ab"]) >= 2
