"""What the browser draws: which roles a view shows, and the vis-network payload.

The payload (nodes, edges, options) is built with :class:`pyvis.network.Network`
and holds plain data only. Labels and tooltips are plain text: vis-network
draws labels on a canvas and puts string tooltips in with ``innerText``, so no
text from the data is ever parsed as HTML.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from graph.indexes import derived
from graph.layout import layered_layout
from graph.queries import check_role, role_title
from graph.roletable import node_values
from graph.schema import MOVE_TYPES, RELATION_TYPES

__all__ = [
    "View",
    "LARGE_CATALOGUE",
    "MAX_VIEW_NODES",
    "CLOSEST_SHOWN",
    "MORE_PREFIX",
    "INFERRED",
    "ROUTES_JS",
    "ROW_LENGTH",
    "label_lines",
    "family_colours",
    "edge_style",
    "select_view",
    "view_payload",
]

#: Above this many roles, the default view is the selected role's neighbourhood.
LARGE_CATALOGUE = 150
#: The most roles a view ever sends to the browser.
MAX_VIEW_NODES = 400
#: In the neighbourhood of a large catalogue, a role shows this many of its
#: closest relations; a "+N more" node stands for the rest until expanded.
CLOSEST_SHOWN = 8
#: The ``evidence`` of a relation read from a comparison, not stated.
INFERRED = "inferred"
#: Node ids of "+N more" nodes: the prefix, then the role they expand.
MORE_PREFIX = "more:"
#: The script that draws a payload's edge routes on vis-network's canvas
#: (``drawRoutes``), finds the route under the pointer (``routeNear``) and fits
#: the view to the payload's ``bounds`` (``fitBounds``).
ROUTES_JS = Path(__file__).parent / "templates" / "routes.js"

# Okabe-Ito, then Tableau tones: distinguishable with colour-blindness.
_PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#7F7F7F",
    "#8C564B",
    "#17BECF",
    "#BCBD22",
    "#9467BD",
)
#: Node outlines, so families beyond the palette are told apart by shape as
#: well as colour (24 families with two, 36 with three): all boxes, whose
#: size follows the label alone, so every layout column fits any of them.
_SHAPES = {
    "box": {"borderRadius": 2},
    "pill": {"borderRadius": 18},
    "dashed": {"borderRadius": 2, "borderDashes": [6, 3]},
}
#: Space between two columns of boxes: the lane routes run down.
_COLUMN_GAP = 44
#: Box geometry at the node font size: the width the layout gives a box
#: (vis-network adds the margin around the label's width), the characters
#: that surely fit on one line of it (fewer than most fonts fit, so a box is
#: never taller than its row), the line height and the label's margin.
_FONT_SIZE = 18
#: The smallest label people read without zooming (px on screen): the view
#: opens no smaller than this, panning instead.
_MIN_LABEL_PX = 11
_BOX_WIDTH = 160
_CHARS_PER_LINE = 13
_LINE_HEIGHT = 22
_NODE_MARGIN = 10
#: Roles side by side on one row before a level wraps onto the next row
#: (narrow enough that a full row is drawn with labels of 11 px or more).
ROW_LENGTH = 4
_HIGHLIGHT = "#111111"


@dataclass(frozen=True)
class View:
    """The roles a view shows, and why it might not show all of them.

    ``hidden`` counts, per role, the related roles left out to keep the view
    readable (drawn as a "+N more" node). When ``interior`` is set, only the
    relations of those roles are drawn (the roles whose neighbours the view
    chose), not every relation among the roles shown.
    """

    roles: tuple[str, ...]
    focus: str | None
    depth: int | None
    truncated: bool
    hidden: Mapping[str, int] = field(default_factory=dict)
    interior: frozenset | None = None

    @property
    def is_neighbourhood(self) -> bool:
        return self.depth is not None


def family_colours(G: nx.Graph) -> dict[str, tuple[str, str]]:
    """A stable colour and node shape per job family (families sorted by name):
    the palette's colours as boxes first, then again as pills, and so on.

    A derived index (see :mod:`graph.indexes`): computed once per graph.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"family": "Ops"}), ("b", {"family": "Exec"})])
    >>> family_colours(G)
    {'Exec': ('#0072B2', 'box'), 'Ops': ('#E69F00', 'box')}
    >>> many = nx.Graph()
    >>> many.add_nodes_from((f"r{i}", {"family": f"F{i:02}"}) for i in range(13))
    >>> family_colours(many)["F12"]
    ('#0072B2', 'pill')
    """
    return derived(G, "family_colours", _assign_colours)


def _assign_colours(G: nx.Graph) -> dict[str, tuple[str, str]]:
    families = sorted(set(node_values(G, "family")))
    return {
        family: (
            _PALETTE[i % len(_PALETTE)],
            list(_SHAPES)[(i // len(_PALETTE)) % len(_SHAPES)],
        )
        for i, family in enumerate(families)
    }


def edge_style(edge_type: str) -> dict:
    """Line style of an edge type: colour, width and dash pattern."""
    return RELATION_TYPES[edge_type].edge_style()


def select_view(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int | None = None,
    roles: set[str] | None = None,
    max_nodes: int = MAX_VIEW_NODES,
    closest: int | None = None,
    expanded: Iterable[str] = (),
) -> View:
    """Choose the roles to draw.

    With ``depth`` (or a catalogue above :data:`LARGE_CATALOGUE` roles), the
    view is the neighbourhood of ``focus`` up to ``depth`` relations away in
    either direction, nearest first; otherwise every role. ``roles`` restricts
    the candidates (filters). At most ``max_nodes`` roles are kept.

    With ``closest`` (the default in a large catalogue:
    :data:`CLOSEST_SHOWN`), each role of the neighbourhood brings only its
    ``closest`` nearest relations (stated moves and reporting lines first,
    then by rank), and ``closest`` more each time it appears in ``expanded``
    (a "+N more" node clicked); the view counts what it left out in
    ``hidden`` and draws only those roles' own relations.

    Examples
    --------
    >>> G = nx.MultiDiGraph([(i, i + 1, "promotion") for i in range(5)])
    >>> select_view(G, focus=0, depth=2).roles
    (0, 1, 2)
    >>> select_view(G, max_nodes=3).truncated
    True
    >>> star = nx.MultiDiGraph([(0, i, "related", {"rank": i}) for i in range(1, 6)])
    >>> view = select_view(star, focus=0, depth=1, closest=2)
    >>> view.roles, dict(view.hidden)
    ((0, 1, 2), {0: 3})
    >>> select_view(star, focus=0, depth=1, closest=2, expanded=[0, 0]).roles
    (0, 1, 2, 3, 4, 5)
    """
    large = len(G) > LARGE_CATALOGUE
    if depth is None and large:
        depth = 1
    if depth is None or focus is None:
        chosen = list(G) if roles is None else [n for n in G if n in roles]
        return View(tuple(chosen[:max_nodes]), focus, None, len(chosen) > max_nodes)
    check_role(G, focus)
    if closest is None and large:
        closest = CLOSEST_SHOWN

    def neighbours(role: Hashable) -> list:
        """Related roles either way, among ``roles``: read from ``G.succ`` and
        ``G.pred`` where ``G.to_undirected(as_view=True)`` would first check
        every node (27 ms a view on 100,000 roles, on every rerun)."""
        both = dict.fromkeys(chain(G.succ[role], G.pred[role]))
        return [n for n in both if roles is None or n in roles or n == focus]

    if closest is None:
        nearest_first = _breadth_first(neighbours, focus, depth, max_nodes + 1)
        truncated = len(nearest_first) > max_nodes
        return View(tuple(nearest_first[:max_nodes]), focus, depth, truncated)
    return _closest_neighbourhood(
        G, neighbours, focus, depth, max_nodes, closest, Counter(expanded)
    )


def _breadth_first(
    neighbours: Callable[[Hashable], list], start: Hashable, depth: int, limit: int
) -> list:
    """Up to ``limit`` nodes at most ``depth`` steps from ``start``, nearest
    first (in the order ``nx.bfs_layers`` gives).

    Examples
    --------
    >>> line = nx.path_graph(6)
    >>> _breadth_first(lambda n: list(line[n]), 2, depth=2, limit=10)
    [2, 1, 3, 0, 4]
    """
    seen = {start: None}
    layer = [start]
    for _ in range(depth):
        if len(seen) >= limit:
            break
        next_layer = []
        for node in layer:
            for other in neighbours(node):
                if other not in seen:
                    seen[other] = None
                    next_layer.append(other)
        layer = next_layer
    return list(seen)[:limit]


def _closeness(G: nx.MultiDiGraph, role: str, other: str) -> tuple:
    """How close two related roles are: stated moves and reporting lines
    (unranked) first, then ranked relations by their best rank."""
    ranks = [
        data.get("rank") or 0
        for source, target in ((role, other), (other, role))
        for data in G.succ[source].get(target, {}).values()
    ]
    return (min(ranks, default=0), role_title(G, other))


def _closest_neighbourhood(
    G: nx.MultiDiGraph,
    neighbours: Callable[[Hashable], list],
    focus: str,
    depth: int,
    max_nodes: int,
    closest: int,
    expanded: Counter,
) -> View:
    chosen = {focus: 0}
    truncated = False
    hidden: dict[str, int] = {}
    frontier = [focus]
    interior = set()
    for distance in range(1, depth + 1):
        next_frontier = []
        for role in frontier:
            interior.add(role)
            others = sorted(
                (n for n in neighbours(role) if n != role),
                key=lambda n: _closeness(G, role, n),
            )
            keep = others[: closest * (1 + expanded[role])]
            if len(others) > len(keep):
                hidden[role] = len(others) - len(keep)
            for other in keep:
                if other in chosen:
                    continue
                if len(chosen) >= max_nodes:
                    truncated = True
                    break
                chosen[other] = distance
                next_frontier.append(other)
        frontier = next_frontier
    return View(tuple(chosen), focus, depth, truncated, hidden, frozenset(interior))


#: Longest label drawn in a box, and longest line of a tooltip: the card
#: shows the full text; a canvas label 100,000 characters long froze the tab.
_MAX_LABEL = 80
_MAX_TOOLTIP_LINE = 300


def _short(text: str, limit: int = _MAX_LABEL) -> str:
    """``text`` cut to ``limit`` characters, ending in an ellipsis if cut.

    Examples
    --------
    >>> _short("Operations Manager"), _short("W" * 200, 10)
    ('Operations Manager', 'WWWWWWWWW…')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tooltip(data: dict) -> str:
    lines = [data.get("title", ""), f"{data['family']} · level {data['level']}"]
    if data.get("summary"):
        lines.append(data["summary"])
    return "\n".join(_short(line, _MAX_TOOLTIP_LINE) for line in lines)


def _tiers(
    G: nx.Graph, roles: tuple, tiers: Mapping | None, more: Mapping[str, str]
) -> dict:
    """Tier per box (default: senior levels on top), in the order the layout
    starts from: families side by side, each "+N more" node (``more``: its id
    -> the role it belongs to) last in its role's tier, or with given
    ``tiers`` (an org chart) in the tier below, with the reports it stands
    for."""

    def tier_of(node: str) -> int:
        if tiers is None:
            return -G.nodes[more.get(node, node)]["level"]
        return tiers[more[node]] + 1 if node in more else tiers[node]

    def order(node: str) -> tuple:
        if node in more:
            return (True, "", G.nodes[more[node]].get("title", ""))
        return (False, G.nodes[node]["family"], G.nodes[node].get("title", ""))

    return {node: tier_of(node) for node in sorted((*roles, *more), key=order)}


def label_lines(label: str) -> list[str]:
    """``label`` wrapped as the layout expects a box to wrap it: no more
    characters a line than surely fit (see :func:`graph.export.view_svg`).

    Examples
    --------
    >>> label_lines("Chief Operating Officer")
    ['Chief', 'Operating', 'Officer']
    """
    return textwrap.wrap(label, _CHARS_PER_LINE) or [label]


def _box_height(label: str) -> float:
    """About how tall vis-network draws a box around ``label`` (wrapped to the
    box width), so rows are spaced by what they hold and never overlap.

    Examples
    --------
    >>> _box_height("Clerk") < _box_height("Chief Operating Officer of Everything")
    True
    """
    return len(label_lines(label)) * _LINE_HEIGHT + 2 * _NODE_MARGIN


def _text_colour(background: str) -> str:
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#111111" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"


def view_payload(
    G: nx.MultiDiGraph,
    view: View,
    *,
    edge_types: tuple[str, ...] = tuple(RELATION_TYPES),
    path: tuple[str, ...] = (),
    tiers: Mapping[str, int] | None = None,
    row_length: int = ROW_LENGTH,
) -> dict:
    """Nodes, edges and vis-network options for ``view``, the ``bounds`` of
    its layout and the ``min_scale`` at which labels are still readable.

    Each edge carries the route to draw (``points``; see
    :mod:`graph.layout`), which passes through no box but its own two, and
    is hidden from vis-network, whose straight lines would not; the
    browser draws the routes with :data:`ROUTES_JS`.

    ``path`` is highlighted (thick edges). ``tiers`` puts roles on rows, 0 at
    the top (an org chart ranks by reporting depth); by default the rows are
    levels, senior on top; a row holds at most ``row_length`` roles (two suit
    a phone). Selection highlighting happens in the browser, so a
    new selection does not need a new payload.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": "a", "title": "<b>A</b>", "family": "F", "level": 1},
    ...      {"id": "b", "title": "B", "family": "F", "level": 2}],
    ...     [("a", "b", "promotion"), ("a", "b", "reports_to")])
    >>> payload = view_payload(G, select_view(G), edge_types=("promotion",))
    >>> [(n["id"], n["label"]) for n in payload["nodes"]]
    [('a', '<b>A</b>'), ('b', 'B')]
    >>> [(e["from"], e["to"], e["type"]) for e in payload["edges"]]
    [('a', 'b', 'promotion')]
    """
    colours = family_colours(G)
    more = {f"{MORE_PREFIX}{role}": role for role in view.hidden}
    edges = _drawn_edges(G, view, more, edge_types, path)
    labels = {role: _short(G.nodes[role].get("title", role)) for role in view.roles}
    labels |= {node: f"+{view.hidden[role]} more" for node, role in more.items()}
    layout = layered_layout(
        _tiers(G, view.roles, tiers, more),
        [(edge["id"], edge["from"], edge["to"]) for edge in edges],
        heights={node: _box_height(label) for node, label in labels.items()},
        box_width=_BOX_WIDTH,
        column_gap=_COLUMN_GAP,
        row_length=row_length,
    )
    net = Network(directed=True)

    def add_box(node: str, **options) -> None:
        (x, y), (width, height) = layout.positions[node], layout.sizes[node]
        net.add_node(
            node,
            label=labels[node],
            shape="box",
            x=x,
            y=y,
            # every box of a row as wide and tall as the layout reserved
            # (vis-network adds the margins to the label's size)
            widthConstraint={
                "minimum": width - 2 * _NODE_MARGIN,
                "maximum": width - 2 * _NODE_MARGIN,
            },
            heightConstraint={
                "minimum": height - 2 * _NODE_MARGIN,
                "valign": "middle",
            },
            **options,
        )

    for role in view.roles:
        data = G.nodes[role]
        colour, shape = colours[data["family"]]
        add_box(
            role,
            title=_tooltip(data),
            color=colour,
            font={"color": _text_colour(colour)},
            shapeProperties=_SHAPES[shape],
            family=data["family"],
            level=data["level"],
            borderWidth=3 if role in path else 1,
        )
    for node, role in more.items():
        add_box(
            node,
            # in an org chart (``tiers``) the roles it stands for report to it
            title=(
                f"Show who else reports to {role_title(G, role)}"
                if tiers is not None
                else f"Show more roles related to {role_title(G, role)}"
            ),
            color={"background": "#ffffff", "border": "#6E6E6E"},
            font={"color": "#111111"},
            shapeProperties={"borderDashes": [4, 3]},
            more=role,
        )
    for edge in edges:
        # the browser draws the route; vis-network keeps the edge (hidden)
        # for the graph's structure: neighbours, keyboard walks
        points = layout.routes[edge["id"]]
        net.add_edge(
            edge.pop("from"), edge.pop("to"), points=points, hidden=True, **edge
        )
    net.options = _options()
    left, top, right, bottom = layout.bounds()
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "bounds": [left, top, right, bottom],
        "min_scale": _MIN_LABEL_PX / _FONT_SIZE,
    }


def _drawn_edges(
    G: nx.MultiDiGraph,
    view: View,
    more: Mapping[str, str],
    edge_types: tuple[str, ...],
    path: tuple[str, ...],
) -> list[dict]:
    """The edges a view draws, each with its id, ends, tooltip and style."""
    edges = [
        {
            "id": f"{node}|{role}",
            "from": node,
            "to": role,
            "color": "#BBBBBB",
            "width": 1,
            "dashes": [4, 3],
            "arrow": False,
        }
        for node, role in more.items()
    ]
    on_path = set(zip(path, path[1:], strict=False))
    shown = set(view.roles)
    for source, target, edge_type, data in G.edges(view.roles, keys=True, data=True):
        if target not in shown or edge_type not in edge_types:
            continue
        if view.interior is not None and not (
            source in view.interior or target in view.interior
        ):
            continue
        style = edge_style(edge_type)
        if (source, target) in on_path and edge_type in MOVE_TYPES:
            style.update(width=6, color=_HIGHLIGHT)
        edges.append(
            {
                "id": f"{source}|{target}|{edge_type}",
                "from": source,
                "to": target,
                "type": edge_type,
                "title": _edge_tooltip(G, source, target, data),
                "arrow": True,
                # an inferred relation is drawn faint; the legend says why
                "inferred": data.get("evidence") == INFERRED,
                **style,
            }
        )
    return edges


def _edge_tooltip(G: nx.Graph, source: str, target: str, data: dict) -> str:
    kind = RELATION_TYPES[data["type"]]
    lines = [f"{role_title(G, source)} {kind.verb} {role_title(G, target)}", kind.label]
    if data.get("typical_years") is not None:
        lines.append(f"Typically {data['typical_years']:g} years first")
    if data.get("note"):
        lines.append(data["note"])
    if data.get("evidence") == INFERRED:
        lines.append("Inferred from a comparison: no source states this move")
    return "\n".join(_short(line, _MAX_TOOLTIP_LINE) for line in lines)


def _options() -> dict:
    return {
        "physics": {"enabled": False},
        "layout": {"hierarchical": {"enabled": False}},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": {"enabled": False},
            "multiselect": False,
        },
        "nodes": {
            "font": {"size": _FONT_SIZE, "face": "sans-serif"},
            "margin": _NODE_MARGIN,
        },
    }
