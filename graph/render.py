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

import networkx as nx
from pyvis.network import Network

from graph.indexes import derived
from graph.queries import check_role, role_title
from graph.schema import MOVE_TYPES, RELATION_TYPES

__all__ = [
    "View",
    "LARGE_CATALOGUE",
    "MAX_VIEW_NODES",
    "CLOSEST_SHOWN",
    "MORE_PREFIX",
    "INFERRED",
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
#: Space between the boxes of two levels, and of a level's wrapped rows.
_LEVEL_GAP_Y = 45
_WRAPPED_ROW_GAP_Y = 18
_NODE_GAP_X = 175
#: Box geometry at the node font size (for row spacing): characters per line
#: at the box's maximum width, the line height and the margin around a label.
_FONT_SIZE = 18
_BOX_WIDTH = 160
_CHARS_PER_LINE = 16
_LINE_HEIGHT = 22
_NODE_MARGIN = 10
#: Roles side by side on one row before a level wraps onto the next row
#: (narrow enough that a full row is drawn with labels of 11 px or more).
_ROW_LENGTH = 4
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
    families = sorted({family for _, family in G.nodes(data="family")})
    return {
        family: (
            _PALETTE[i % len(_PALETTE)],
            list(_SHAPES)[(i // len(_PALETTE)) % len(_SHAPES)],
        )
        for i, family in enumerate(families)
    }


def edge_style(edge_type: str) -> dict:
    """Line style of an edge type: colour, width, dash pattern and curve."""
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


def _positions(
    G: nx.Graph, roles: tuple, tiers: Mapping | None, more: Mapping[str, str]
) -> dict:
    """x, y per role: tier 0 on top (default: senior levels on top), families
    side by side within a tier. Each "+N more" node (``more``: its id -> the
    role it belongs to) comes last in its role's tier.

    A tier with many roles wraps onto several rows, so a manager with
    hundreds of reports still gives a readable block rather than a thin line.
    """

    def tier_of(role: str) -> int:
        return tiers[role] if tiers is not None else -G.nodes[role]["level"]

    def order(node: str) -> tuple:
        if node in more:
            return (True, "", G.nodes[more[node]].get("title", ""))
        return (False, G.nodes[node]["family"], G.nodes[node].get("title", ""))

    by_level: dict[int, list] = {}
    for node in (*roles, *more):
        by_level.setdefault(tier_of(more.get(node, node)), []).append(node)

    def height(node: str) -> float:
        title = "+N more" if node in more else G.nodes[node].get("title", node)
        return _box_height(_short(str(title)))

    positions = {}
    y = 0.0
    previous_half = None
    for level in sorted(by_level):
        members = sorted(by_level[level], key=order)
        gap = _LEVEL_GAP_Y
        for start in range(0, len(members), _ROW_LENGTH):
            row = members[start : start + _ROW_LENGTH]
            half = max(height(node) for node in row) / 2
            if previous_half is not None:
                y += previous_half + gap + half
            width = (len(row) - 1) * _NODE_GAP_X
            for i, node in enumerate(row):
                positions[node] = (i * _NODE_GAP_X - width / 2, y)
            previous_half, gap = half, _WRAPPED_ROW_GAP_Y
    return positions


def _box_height(label: str) -> float:
    """About how tall vis-network draws a box around ``label`` (wrapped to the
    box width), so rows are spaced by what they hold and never overlap.

    Examples
    --------
    >>> _box_height("Clerk") < _box_height("Chief Operating Officer of Everything")
    True
    """
    lines = max(1, len(textwrap.wrap(label, _CHARS_PER_LINE)))
    return lines * _LINE_HEIGHT + 2 * _NODE_MARGIN


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
) -> dict:
    """Nodes, edges and vis-network options for ``view``.

    ``path`` is highlighted (thick edges). ``tiers`` puts roles on rows, 0 at
    the top (an org chart ranks by reporting depth); by default the rows are
    levels, senior on top. Selection highlighting happens in the browser, so a
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
    positions = _positions(G, view.roles, tiers, more)
    on_path = set(zip(path, path[1:], strict=False))
    net = Network(directed=True)
    for role in view.roles:
        data = G.nodes[role]
        x, y = positions[role]
        colour, shape = colours[data["family"]]
        net.add_node(
            role,
            label=_short(data.get("title", role)),
            title=_tooltip(data),
            color=colour,
            font={"color": _text_colour(colour)},
            shape="box",
            shapeProperties=_SHAPES[shape],
            x=x,
            y=y,
            family=data["family"],
            level=data["level"],
            borderWidth=3 if role in path else 1,
        )
    for node, role in more.items():
        x, y = positions[node]
        net.add_node(
            node,
            label=f"+{view.hidden[role]} more",
            title=f"Show more roles related to {role_title(G, role)}",
            color={"background": "#ffffff", "border": "#6E6E6E"},
            font={"color": "#111111"},
            shape="box",
            shapeProperties={"borderDashes": [4, 3]},
            x=x,
            y=y,
            more=role,
        )
        net.add_edge(
            node,
            role,
            id=f"{node}|{role}",
            color="#BBBBBB",
            dashes=True,
            arrows={"to": {"enabled": False}},
        )
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
        net.add_edge(
            source,
            target,
            id=f"{source}|{target}|{edge_type}",
            type=edge_type,
            title=_edge_tooltip(G, source, target, data),
            arrows="to",
            # an inferred relation is drawn faint; the legend says why
            inferred=data.get("evidence") == INFERRED,
            **style,
        )
    net.options = _options()
    return {"nodes": net.nodes, "edges": net.edges, "options": net.options}


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
            "widthConstraint": {"maximum": _BOX_WIDTH},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "selectionWidth": 2,
        },
    }
