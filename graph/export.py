"""Writing things out: career plans, the graph (GraphML, JSON, HTML) and tables."""

from __future__ import annotations

import csv
import html
import json
import math
import re
from datetime import date
from pathlib import Path
from string import Template

import networkx as nx
import pandas as pd
import pyvis

from graph.errors import CareerGraphError
from graph.lists import join_list
from graph.paths import CareerPath, option_heading
from graph.queries import role_title
from graph.render import (
    ROUTES_JS,
    family_colours,
    label_lines,
    select_view,
    view_payload,
)
from graph.schema import EDGE_REQUIRED, EDGES_FILE, RELATION_TYPES, ROLES_FILE
from graph.text import escape_markdown, neutralise_formula

__all__ = [
    "EXPORT_FORMATS",
    "HTML_MAX_ROLES",
    "plan_table",
    "plan_markdown",
    "safe_csv",
    "roles_table",
    "edges_table",
    "catalogue_csv",
    "standalone_html",
    "view_svg",
    "export_graph",
]


def plan_table(G: nx.MultiDiGraph, paths: list[CareerPath]) -> pd.DataFrame:
    """One row per step of each path: what the move is and what changes."""
    rows = []
    for number, path in enumerate(paths, start=1):
        for step_number, step in enumerate(path.steps, start=1):
            rows.append(
                {
                    "path": number,
                    "step": step_number,
                    "from": role_title(G, step.source),
                    "to": role_title(G, step.target),
                    "move": step.type,
                    "level_change": step.level_change,
                    "typical_years": step.typical_years,
                    "family_change": " → ".join(step.family_change)
                    if step.family_change
                    else "",
                    "skills_to_gain": "; ".join(step.skills_to_gain),
                    "scope_after": step.scope,
                    "authority_after": step.decision_authority,
                    "note": step.note,
                }
            )
    return pd.DataFrame(rows)


def safe_csv(table: pd.DataFrame) -> str:
    """CSV text of ``table`` for spreadsheets: formula-like cells and headers
    neutralised, and every text cell quoted, so one that holds ``;`` or a tab
    stays one cell in a locale that splits on them.

    Examples
    --------
    >>> print(safe_csv(pd.DataFrame({"=h": ["=1+1", "Lead;=2+3"], "n": [1, 2]})),
    ...       end="")
    "'=h","n"
    "'=1+1",1
    "Lead;=2+3",2
    """
    cleaned = table.copy()
    cleaned.columns = [neutralise_formula(str(c)) for c in cleaned.columns]
    for column in cleaned.columns:
        if cleaned[column].dtype == object or pd.api.types.is_string_dtype(
            cleaned[column]
        ):
            cleaned[column] = cleaned[column].map(neutralise_formula)
    return cleaned.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC)


def plan_markdown(G: nx.MultiDiGraph, paths: list[CareerPath], source: str = "") -> str:
    """A career plan as Markdown, every piece of data text escaped; with
    ``source``, a line saying when it was made and from which data.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> from graph.paths import career_paths
    >>> G = make_graph(
    ...     [{"id": "a", "title": "Clerk", "family": "F", "level": 1},
    ...      {"id": "b", "title": "Boss", "family": "F", "level": 2}],
    ...     [("a", "b", "promotion")])
    >>> print(plan_markdown(G, career_paths(G, "a", "b")))
    # Career plan: Clerk → Boss
    <BLANKLINE>
    ## Option 1: 1 step
    <BLANKLINE>
    1. **Clerk → Boss** (promotion, level +1)
    """
    if not paths:
        return "# Career plan\n\nNo path found.\n"
    start, end = paths[0].roles[0], paths[0].roles[-1]
    md = escape_markdown
    lines = [f"# Career plan: {md(role_title(G, start))} → {md(role_title(G, end))}"]
    if source:
        lines += ["", f"Made {date.today().isoformat()} from {md(source)}."]
    for number, path in enumerate(paths, start=1):
        lines += ["", f"## {option_heading(number, path)}", ""]
        for index, step in enumerate(path.steps, start=1):
            move = f"{step.type}, level {step.level_change:+d}"
            if step.typical_years is not None:
                move += f", typically {step.typical_years:g} years"
            lines.append(
                f"{index}. **{md(role_title(G, step.source))} → "
                f"{md(role_title(G, step.target))}** ({move})"
            )
            if step.skills_to_gain:
                skills = ", ".join(md(s) for s in step.skills_to_gain)
                lines.append(f"   - Skills to gain: {skills}")
            if step.scope:
                lines.append(f"   - Scope after the move: {md(step.scope)}")
            if step.decision_authority:
                lines.append(
                    f"   - Authority after the move: {md(step.decision_authority)}"
                )
            if step.note:
                lines.append(f"   - Note: {md(step.note)}")
    return "\n".join(lines)


#: The formats :func:`export_graph` writes.
EXPORT_FORMATS = ("graphml", "json", "html", "csv")
#: An HTML page draws every role at once; beyond this it is unusable.
HTML_MAX_ROLES = 5000
#: The standalone page, with ``$`` placeholders (:class:`string.Template`).
_PAGE = Template(
    (Path(__file__).parent / "templates" / "standalone.html").read_text("utf-8")
)
_VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
#: The role fields the standalone page's details panel shows, by name.
_DETAIL_FIELDS = {
    "summary": "Summary",
    "aliases": "Also called",
    "skills": "Skills",
    "scope": "Scope",
    "decision_authority": "Decision authority",
}


def roles_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    """The roles as a table again: one row per role, lists joined with ``;``."""
    rows = [
        {key: _flat(value) for key, value in data.items()}
        for _, data in G.nodes(data=True)
    ]
    table = pd.DataFrame(rows)
    leading = [c for c in ("id", "title", "family", "level") if c in table.columns]
    return table[leading + [c for c in table.columns if c not in leading]]


def edges_table(G: nx.MultiDiGraph) -> pd.DataFrame:
    """The relations as a table again, one row per edge."""
    rows = [
        {"source": source, "target": target, **{k: _flat(v) for k, v in data.items()}}
        for source, target, data in G.edges(data=True)
    ]
    table = pd.DataFrame(rows, columns=None if rows else list(EDGE_REQUIRED))
    leading = list(EDGE_REQUIRED)
    return table[leading + [c for c in table.columns if c not in leading]]


#: Each file of a catalogue and the table it is written from.
_CATALOGUE_TABLES = {ROLES_FILE: roles_table, EDGES_FILE: edges_table}


def catalogue_csv(G: nx.MultiDiGraph, file: str) -> str:
    """One file of a catalogue (``roles.csv`` or ``edges.csv``) as CSV text
    for spreadsheets (:func:`safe_csv`): what every download and folder
    export of a catalogue writes.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", "promotion", {"type": "promotion"})])
    >>> print(catalogue_csv(G, "edges.csv"), end="")
    "source","target","type"
    "a","b","promotion"
    """
    return safe_csv(_CATALOGUE_TABLES[file](G))


def _flat(value: object) -> object:
    return join_list(value) if isinstance(value, list) else value


def _plain_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph without its derived indexes, lists joined into strings."""
    plain = nx.MultiDiGraph()
    plain.add_nodes_from(
        (n, {k: _flat(v) for k, v in data.items()}) for n, data in G.nodes(data=True)
    )
    plain.add_edges_from(
        (s, t, k, {a: _flat(v) for a, v in data.items() if v is not None})
        for s, t, k, data in G.edges(keys=True, data=True)
    )
    return plain


#: Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: object) -> object:
    """Text with the characters XML cannot hold written as escapes (``\\x01``),
    so ids stay distinct; other values as they are."""
    if not isinstance(value, str):
        return value
    return _NOT_XML.sub(
        lambda match: match.group().encode("unicode_escape").decode("ascii"), value
    )


def _xml_safe(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    r"""A copy of a plain graph whose ids and texts XML can hold.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a\x01", title="Ops\x1b[31m")
    >>> dict(_xml_safe(G).nodes(data=True))
    {'a\\x01': {'title': 'Ops\\x1b[31m'}}
    """
    safe = nx.MultiDiGraph()
    safe.add_nodes_from(
        (_xml_text(n), {k: _xml_text(v) for k, v in data.items()})
        for n, data in G.nodes(data=True)
    )
    safe.add_edges_from(
        (
            _xml_text(s),
            _xml_text(t),
            _xml_text(k),
            {a: _xml_text(v) for a, v in d.items()},
        )
        for s, t, k, d in G.edges(keys=True, data=True)
    )
    return safe


def standalone_html(G: nx.MultiDiGraph, title: str = "Career paths") -> str:
    """A single offline HTML page: the whole graph, a legend of its families
    and relations, and a panel that shows a clicked role's details.

    vis-network (as shipped in pyvis) is inlined, so the page loads nothing
    from anywhere. Text from the data reaches the page only escaped (the
    heading, the legend) or inside JSON that the page's script reads and
    writes as plain text; ``<`` is escaped in the JSON, so no value can close
    its script tag.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph([{"id": "a", "title": "<b>Clerk</b>", "family": "Ops",
    ...                  "level": 1}])
    >>> page = standalone_html(G, "Ops & co")
    >>> "<h1>Ops &amp; co</h1>" in page, "<b>Clerk" in page
    (True, False)
    """
    if len(G) > HTML_MAX_ROLES:
        raise CareerGraphError(
            f"{len(G)} roles are too many for one HTML page (at most "
            f"{HTML_MAX_ROLES}); export GraphML or JSON instead."
        )
    payload = view_payload(G, select_view(G, max_nodes=len(G)))
    used = {edge["type"] for edge in payload["edges"]}
    data = {
        **payload,
        "details": {role: _details(G, role) for role in G},
    }
    colours = family_colours(G)
    families = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>'
        f"{html.escape(family)}</li>"
        for family, (colour, _) in sorted(colours.items())
    )
    relations = "".join(
        f'<li><span class="line" style="border-top-style:{kind.legend_dashes};'
        f'border-top-color:{kind.colour}"></span>{html.escape(kind.label)}</li>'
        for name, kind in RELATION_TYPES.items()
        if name in used
    )
    inferred = (
        "<p>Faint lines are inferred relations: worked out from the source"
        " data, not stated in it.</p>"
        if any(edge.get("inferred") for edge in payload["edges"])
        else ""
    )
    edge_count = G.number_of_edges()
    return _PAGE.substitute(
        title=html.escape(title),
        summary=f"{len(G):,} roles and {edge_count:,} relations, exported on "
        f"{date.today().isoformat()}. Hover over a role for a summary; click it "
        "for its details.",
        graph_label=f"Graph of {len(G):,} roles and {edge_count:,} relations",
        families=families,
        relations=relations,
        inferred=inferred,
        data=json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"),
        vis_js=_VIS_DIR.joinpath("vis-network.min.js").read_text(encoding="utf-8"),
        routes_js=ROUTES_JS.read_text(encoding="utf-8"),
        vis_css=_VIS_DIR.joinpath("vis-network.css").read_text(encoding="utf-8"),
    )


#: Space around the drawing in an SVG export, and its label font size.
_SVG_PAD = 16
_SVG_FONT_PX = 18
_SVG_LINE_PX = 22
#: Opacity of an inferred relation's line, as the app draws it.
_INFERRED_OPACITY = 0.45


def view_svg(payload: dict, title: str) -> str:
    """The graph a payload (from :func:`graph.view_payload`) draws, as an SVG
    image: the boxes with their labels and the routed relations, as the app
    shows them with nothing selected.

    Every text is escaped, and characters XML cannot hold are written as
    escapes, so the file always parses.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": "a", "title": "<b>Clerk</b>", "family": "F", "level": 1},
    ...      {"id": "b", "title": "Boss", "family": "F", "level": 2}],
    ...     [("a", "b", "reports_to")])
    >>> svg = view_svg(view_payload(G, select_view(G)), "Org chart")
    >>> svg.startswith("<svg"), "&lt;b&gt;Clerk" in svg, svg.count("<polyline")
    (True, True, 1)
    """
    margin = payload["options"]["nodes"]["margin"]
    left, top, right, bottom = payload["bounds"]
    width, height = right - left + 2 * _SVG_PAD, bottom - top + 2 * _SVG_PAD
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="{left - _SVG_PAD:.1f} {top - _SVG_PAD:.1f} '
        f'{width:.1f} {height:.1f}" font-family="sans-serif">',
        f"<title>{_svg_text(title)}</title>",
        f'<rect x="{left - _SVG_PAD:.1f}" y="{top - _SVG_PAD:.1f}" '
        f'width="{width:.1f}" height="{height:.1f}" fill="#ffffff"/>',
    ]
    parts += (_svg_route(edge) for edge in payload["edges"])
    for node in payload["nodes"]:
        box_width = node["widthConstraint"]["maximum"] + 2 * margin
        box_height = node["heightConstraint"]["minimum"] + 2 * margin
        colour = node["color"]
        fill, stroke = (
            (colour["background"], colour["border"])
            if isinstance(colour, dict)
            else (colour, "#333333")
        )
        shape = node.get("shapeProperties", {})
        dashes = shape.get("borderDashes")
        parts.append(
            f'<rect x="{node["x"] - box_width / 2:.1f}" '
            f'y="{node["y"] - box_height / 2:.1f}" width="{box_width:.1f}" '
            f'height="{box_height:.1f}" rx="{shape.get("borderRadius", 2)}" '
            f'fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{node.get("borderWidth", 1)}"'
            + (f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else "")
            + "/>"
        )
        lines = label_lines(node["label"])
        first = node["y"] - (len(lines) - 1) * _SVG_LINE_PX / 2
        spans = "".join(
            f'<tspan x="{node["x"]:.1f}" y="{first + i * _SVG_LINE_PX:.1f}">'
            f"{_svg_text(line)}</tspan>"
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<text text-anchor="middle" dominant-baseline="central" '
            f'font-size="{_SVG_FONT_PX}" fill="{node["font"]["color"]}">{spans}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _svg_text(text: object) -> str:
    return html.escape(str(_xml_text(str(text))), quote=True)


def _svg_route(edge: dict) -> str:
    """One relation's route as a polyline, with an arrowhead at its target."""
    points = edge["points"]
    opacity = _INFERRED_OPACITY if edge.get("inferred") else 1
    dashes = edge.get("dashes")
    line = (
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" '
        f'fill="none" stroke="{edge["color"]}" stroke-width="{edge["width"]}" '
        f'opacity="{opacity}"'
        + (f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else "")
        + "/>"
    )
    if not edge.get("arrow") or len(points) < 2:
        return line
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = 9 + edge["width"] * 1.5
    angle = math.atan2(y1 - y0, x1 - x0)
    corners = [(x1, y1)] + [
        (x1 - length * math.cos(angle + turn), y1 - length * math.sin(angle + turn))
        for turn in (-0.42, 0.42)
    ]
    head = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
    return line + (
        f'<polygon points="{head}" fill="{edge["color"]}" opacity="{opacity}"/>'
    )


def _details(G: nx.MultiDiGraph, role: str) -> dict:
    """What the page's details panel shows of ``role``: its title, then
    named fields, lists joined with commas."""
    data = G.nodes[role]
    fields = [("Family", data["family"]), ("Level", str(data["level"]))]
    for key, name in _DETAIL_FIELDS.items():
        value = data.get(key)
        if value:
            fields.append(
                (name, ", ".join(value) if isinstance(value, list) else value)
            )
    return {"title": role_title(G, role), "fields": fields}


def export_graph(G: nx.MultiDiGraph, fmt: str, out: str | Path) -> Path:
    """Write the graph as GraphML, node-link JSON or a standalone HTML page to
    the file ``out``; or, for ``csv``, as a data folder ``out`` holding
    ``roles.csv`` and ``edges.csv`` (formula-safe), which loads back.

    Examples
    --------
    >>> import tempfile
    >>> from graph.building import make_graph
    >>> G = make_graph([{"id": "a", "title": "A", "family": "F", "level": 1}])
    >>> folder = tempfile.mkdtemp()
    >>> sorted(nx.read_graphml(export_graph(G, "graphml", f"{folder}/g.graphml")))
    ['a']
    >>> sorted(p.name for p in export_graph(G, "csv", f"{folder}/data").iterdir())
    ['edges.csv', 'roles.csv']
    """
    if fmt not in EXPORT_FORMATS:
        raise CareerGraphError(
            f"Unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}."
        )
    path = Path(out)
    if fmt == "graphml":
        nx.write_graphml(_xml_safe(_plain_copy(G)), path)
    elif fmt == "json":
        data = nx.node_link_data(_plain_copy(G), edges="edges")
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")
    elif fmt == "html":
        path.write_text(standalone_html(G), encoding="utf-8")
    else:
        path.mkdir(exist_ok=True)
        for file in _CATALOGUE_TABLES:
            (path / file).write_text(catalogue_csv(G, file), encoding="utf-8")
    return path
