"""What the browser draws: which roles a view shows, and the vis-network payload.

The payload (nodes, edges, options) is built with :class:`pyvis.network.Network`
and holds plain data only. Labels and tooltips are plain text: vis-network
draws labels on a canvas and puts string tooltips in with ``innerText``, so no
text from the data is ever parsed as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, islice

import networkx as nx
from pyvis.network import Network

from graph.indexes import derived
from graph.queries import check_role, role_title
from graph.schema import MOVE_TYPES, RELATION_TYPES

__all__ = [
    "View",
    "LARGE_CATALOGUE",
    "MAX_VIEW_NODES",
    "family_colours",
    "edge_style",
    "select_view",
    "view_payload",
]

#: Above this many roles, the default view is the selected role's neighbourhood.
LARGE_CATALOGUE = 150
#: The most roles a view ever sends to the browser.
MAX_VIEW_NODES = 400

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
_LEVEL_GAP_Y = 105
_NODE_GAP_X = 175
#: Roles side by side on one row before a level wraps onto the next row.
_ROW_LENGTH = 8
_WRAPPED_ROW_GAP_Y = 70
_HIGHLIGHT = "#111111"


@dataclass(frozen=True)
class View:
    """The roles a view shows, and why it might not show all of them."""

    roles: tuple[str, ...]
    focus: str | None
    depth: int | None
    truncated: bool

    @property
    def is_neighbourhood(self) -> bool:
        return self.depth is not None


def family_colours(G: nx.Graph) -> dict[str, str]:
    """A stable colour per job family (families sorted by name).

    A derived index (see :mod:`graph.indexes`): computed once per graph.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"family": "Ops"}), ("b", {"family": "Exec"})])
    >>> family_colours(G)
    {'Exec': '#0072B2', 'Ops': '#E69F00'}
    """
    return derived(G, "family_colours", _assign_colours)


def _assign_colours(G: nx.Graph) -> dict[str, str]:
    families = sorted({family for _, family in G.nodes(data="family")})
    return {f: _PALETTE[i % len(_PALETTE)] for i, f in enumerate(families)}


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
) -> View:
    """Choose the roles to draw.

    With ``depth`` (or a catalogue above :data:`LARGE_CATALOGUE` roles), the
    view is the neighbourhood of ``focus`` up to ``depth`` relations away in
    either direction, nearest first; otherwise every role. ``roles`` restricts
    the candidates (filters). At most ``max_nodes`` roles are kept.

    Examples
    --------
    >>> G = nx.MultiDiGraph([(i, i + 1, "promotion") for i in range(5)])
    >>> select_view(G, focus=0, depth=2).roles
    (0, 1, 2)
    >>> select_view(G, max_nodes=3).truncated
    True
    """
    if depth is None and len(G) > LARGE_CATALOGUE:
        depth = 1
    if depth is None or focus is None:
        chosen = list(G) if roles is None else [n for n in G if n in roles]
        return View(tuple(chosen[:max_nodes]), focus, None, len(chosen) > max_nodes)
    check_role(G, focus)
    neighbourhood = G.to_undirected(as_view=True)
    if roles is not None:
        neighbourhood = nx.subgraph_view(
            neighbourhood, filter_node=lambda n: n in roles or n == focus
        )
    layers = islice(nx.bfs_layers(neighbourhood, focus), depth + 1)
    nearest_first = list(islice(chain.from_iterable(layers), max_nodes + 1))
    truncated = len(nearest_first) > max_nodes
    return View(tuple(nearest_first[:max_nodes]), focus, depth, truncated)


def _tooltip(data: dict) -> str:
    lines = [data.get("title", ""), f"{data['family']} · level {data['level']}"]
    if data.get("summary"):
        lines.append(data["summary"])
    return "\n".join(lines)


def _positions(G: nx.Graph, roles: tuple, tiers: Mapping | None) -> dict:
    """x, y per role: tier 0 on top (default: senior levels on top), families
    side by side within a tier.

    A tier with many roles wraps onto several rows, so a manager with
    hundreds of reports still gives a readable block rather than a thin line.
    """
    by_level: dict[int, list] = {}
    for role in roles:
        tier = tiers[role] if tiers is not None else -G.nodes[role]["level"]
        by_level.setdefault(tier, []).append(role)
    positions = {}
    y = 0.0
    for level in sorted(by_level):
        members = sorted(
            by_level[level],
            key=lambda r: (G.nodes[r]["family"], G.nodes[r].get("title", "")),
        )
        for start in range(0, len(members), _ROW_LENGTH):
            row = members[start : start + _ROW_LENGTH]
            width = (len(row) - 1) * _NODE_GAP_X
            for i, role in enumerate(row):
                positions[role] = (i * _NODE_GAP_X - width / 2, y)
            y += _WRAPPED_ROW_GAP_Y
        y += _LEVEL_GAP_Y - _WRAPPED_ROW_GAP_Y
    return positions


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
    positions = _positions(G, view.roles, tiers)
    on_path = set(zip(path, path[1:], strict=False))
    net = Network(directed=True)
    for role in view.roles:
        data = G.nodes[role]
        x, y = positions[role]
        net.add_node(
            role,
            label=data.get("title", role),
            title=_tooltip(data),
            color=colours[data["family"]],
            font={"color": _text_colour(colours[data["family"]])},
            shape="box",
            x=x,
            y=y,
            family=data["family"],
            level=data["level"],
            borderWidth=3 if role in path else 1,
        )
    shown = set(view.roles)
    for source, target, edge_type, data in G.edges(view.roles, keys=True, data=True):
        if target not in shown or edge_type not in edge_types:
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
    return "\n".join(lines)


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
            "font": {"size": 18, "face": "sans-serif"},
            "margin": 10,
            "widthConstraint": {"maximum": 160},
            "shapeProperties": {"borderRadius": 6},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "selectionWidth": 2,
        },
    }
