"""The explorer's panels. Every piece of data text shown as Markdown goes
through :func:`md`; tables and the graph show text as plain text."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from graph import (
    CareerPath,
    ValidationReport,
    View,
    all_reports,
    career_paths,
    compare_roles,
    direct_reports,
    managers,
    nearest_reachable,
    next_moves,
    previous_roles,
    reporting_chain,
    search_roles,
    select_view,
    view_payload,
)
from graph.export import plan_markdown, plan_table, safe_csv
from graph.render import LARGE_CATALOGUE, MAX_VIEW_NODES, edge_style
from graph.schema import DIMENSIONS, EDGE_TYPES, ROLE_COLUMNS
from graph.text import escape_markdown as md
from graph.text import safe_file_name
from ui.component import career_graph, clicked_role
from ui.data import Catalogue
from ui.state import edge_toggle_key, open_tab, select_role

__all__ = [
    "sidebar",
    "graph_panel",
    "role_card",
    "compare_panel",
    "planner_panel",
    "planned_paths",
    "reporting_panel",
    "table_panel",
    "data_problems",
]

#: Above this many roles, pickers search instead of listing every role.
PICKER_LIST_LIMIT = 2000
#: Above this many job families, the family filter is a compact multiselect.
FAMILY_PILLS_LIMIT = 12
_RELATED_SHOWN = 12
_ORG_DEPTH = 2
_MOVE_ICONS = {"promotion": "↑", "lateral": "↔", "reports_to": "↥"}
_LEGEND_DASHES = {"promotion": "solid", "lateral": "dotted", "reports_to": "dashed"}


def _legend(cat: Catalogue, payload: dict, edge_types: tuple[str, ...]) -> dict:
    """Colours of the families the payload shows, and the edge styles."""
    shown = sorted({node["family"] for node in payload["nodes"]})
    return {
        "families": [[family, cat.colours[family]] for family in shown],
        "edges": [
            [t, EDGE_TYPES[t], _LEGEND_DASHES[t], edge_style(t)["color"]]
            for t in edge_types
        ],
    }


def role_picker(cat: Catalogue, label: str, key: str, *, placeholder: str) -> None:
    """A role chooser: a list for small catalogues, search-then-pick for big ones."""
    current = st.session_state.get(key)
    if len(cat.G) <= PICKER_LIST_LIMIT:
        options = list(cat.roles_by_title)
    else:
        query = st.text_input(
            f"Search: {label}",
            key=f"{key}_query",
            placeholder="Title, alias or part of it",
        )
        options = search_roles(cat.G, query, limit=50) if query else []
        if current and current not in options:
            options.insert(0, current)
    st.selectbox(
        label,
        options,
        key=key,
        format_func=cat.title,
        index=None,
        placeholder=placeholder,
    )


def sidebar(cat: Catalogue) -> None:
    """Search, selection, filters and edge toggles."""
    G = cat.G
    with st.sidebar:
        st.markdown("## Career paths")
        st.caption(f"{len(G)} roles · {cat.edge_count} relations")
        query = st.text_input(
            "Find a role",
            key="search",
            placeholder="Title, alias or typo: ops mgr, COO…",
        )
        if query:
            matches = search_roles(G, query, limit=8)
            if not matches:
                st.caption("No role matches. Try a shorter part of the title.")
            for role in matches:
                st.button(
                    md(cat.title(role)),
                    key=f"search-hit-{role}",
                    on_click=select_role,
                    args=(role,),
                    width="stretch",
                )
        role_picker(cat, "Selected role", "role", placeholder="Choose a role")
        st.markdown("#### Show")
        for edge_type, label in EDGE_TYPES.items():
            st.toggle(label, key=edge_toggle_key(edge_type))
        if len(G) > LARGE_CATALOGUE:
            st.caption(
                f"This catalogue has {len(G)} roles, so the graph shows the selected "
                "role's neighbourhood."
            )
        else:
            st.toggle("Only the selected role's neighbourhood", key="neighbourhood")
        if len(G) > LARGE_CATALOGUE or st.session_state["neighbourhood"]:
            st.slider("Neighbourhood depth", 1, 3, key="depth")
        st.markdown("#### Filter")
        if len(cat.families) <= FAMILY_PILLS_LIMIT:
            st.pills(
                "Job families (none chosen: all)",
                cat.families,
                selection_mode="multi",
                key="families",
                format_func=md,
            )
        else:
            st.multiselect(
                "Job families",
                cat.families,
                key="families",
                placeholder="All families",
            )
        if cat.min_level < cat.max_level:
            st.slider("Levels", cat.min_level, cat.max_level, key="levels")
        st.caption(f"Data: {md(cat.source)}")
        if cat.report.warnings:
            st.caption(
                f"{len(cat.report.warnings)} data warning(s): see the Your data tab"
            )


def _edge_types() -> tuple[str, ...]:
    return tuple(t for t in EDGE_TYPES if st.session_state[edge_toggle_key(t)])


def _filtered_roles(cat: Catalogue) -> set[str] | None:
    families = set(st.session_state["families"]) or set(cat.families)
    low, high = st.session_state["levels"]
    if len(families) == len(cat.families) and (low, high) == (
        cat.min_level,
        cat.max_level,
    ):
        return None
    return {
        role
        for role, data in cat.G.nodes(data=True)
        if data["family"] in families and low <= data["level"] <= high
    }


def _on_graph_click(key: str, cat: Catalogue) -> None:
    role = clicked_role(key)
    if role in cat.G:
        select_role(role)


def current_view(cat: Catalogue, path: tuple[str, ...]) -> View:
    """The roles the graph and the table view show, from the session's settings.

    A highlighted career path is always included, even outside a neighbourhood.
    """
    G = cat.G
    selected = st.session_state["role"]
    allowed = _filtered_roles(cat)
    if allowed is not None:
        allowed.add(selected)
    neighbourhood = len(G) > LARGE_CATALOGUE or st.session_state["neighbourhood"]
    view = select_view(
        G,
        focus=selected,
        depth=st.session_state["depth"] if neighbourhood else None,
        roles=allowed,
    )
    missing = [role for role in path if role not in set(view.roles)]
    return replace(view, roles=view.roles + tuple(missing)) if missing else view


def graph_panel(cat: Catalogue, view: View, highlighted_path: tuple[str, ...]) -> None:
    """The main graph: click a role to select it."""
    G = cat.G
    selected = st.session_state["role"]
    if view.is_neighbourhood:
        note = (
            f"Neighbourhood of {cat.title(selected)} ({view.depth} step"
            f"{'s' * (view.depth > 1)}): {len(view.roles)} of {len(G)} roles"
        )
    else:
        note = f"{len(view.roles)} of {len(G)} roles"
    if view.truncated:
        note += f" · capped at {MAX_VIEW_NODES}: narrow the filters or the depth"
    if highlighted_path:
        note += " · thick line: the chosen career path"
    note += " · click a role to select it; scroll to zoom, drag to pan"
    payload = view_payload(G, view, edge_types=_edge_types(), path=highlighted_path)
    career_graph(
        payload,
        key="career_graph",
        selected=selected,
        legend=_legend(cat, payload, _edge_types()),
        on_select=lambda: _on_graph_click("career_graph", cat),
        note=note,
        path=highlighted_path,
        expose=True,
    )


def _pick_related(key: str) -> None:
    role = st.session_state[key]
    st.session_state[key] = None
    if role:
        select_role(role)


def _related(cat: Catalogue, heading: str, items: list, section: str) -> None:
    """Related roles (moves or role ids) as chips; choosing one selects it."""
    if not items:
        st.caption(f"{heading}: none in the data")
        return
    shown = items[:_RELATED_SHOWN]
    labels = {}
    for item in shown:
        role = getattr(item, "role", item)
        label = md(cat.title(role))
        if hasattr(item, "type"):
            label = f"{_MOVE_ICONS[item.type]} {label}"
            if item.typical_years is not None:
                label += f" ({item.typical_years:g} y)"
        labels[role] = label
    st.pills(
        heading,
        list(labels),
        key=f"related_{section}",
        format_func=labels.get,
        on_change=_pick_related,
        args=(f"related_{section}",),
    )
    if len(items) > _RELATED_SHOWN:
        st.caption(f"… and {len(items) - _RELATED_SHOWN} more (see Table view)")


def role_card(cat: Catalogue) -> None:
    """Everything about the selected role, with links to the roles around it."""
    G = cat.G
    role = st.session_state["role"]
    data = G.nodes[role]
    with st.container(height=640, border=True):
        st.markdown(f"### {md(data['title'])}")
        st.caption(f"{md(data['family'])} · level {data['level']} · id {md(role)}")
        if data.get("summary"):
            st.markdown(md(data["summary"]))
        shortcuts = (
            ("Compare with…", "Compare", {"compare_a": role}),
            ("Plan a path from here", "Plan a path", {"path_from": role}),
        )
        for column, (label, tab, values) in zip(
            st.columns(len(shortcuts)), shortcuts, strict=True
        ):
            column.button(
                label,
                key=f"card-{tab}",
                on_click=open_tab,
                args=(tab,),
                kwargs=values,
                width="stretch",
            )
        _related(
            cat, "Next moves (↑ promotion, ↔ lateral)", next_moves(G, role), "next"
        )
        _related(cat, "Roles that lead here", previous_roles(G, role), "prev")
        _related(cat, "Reports to", managers(G, role), "boss")
        _related(cat, "Direct reports", direct_reports(G, role), "team")
        for column, label in (
            ("responsibilities", "Responsibilities"),
            ("skills", "Skills"),
        ):
            if data.get(column):
                with st.expander(label, expanded=column == "skills"):
                    st.markdown("\n".join(f"- {md(item)}" for item in data[column]))
        background = [
            (label, data[c])
            for c, label in (("education", "Education"), ("experience", "Experience"))
            if data.get(c)
        ]
        dimensions = [
            (label, data[c]) for c, label in DIMENSIONS.items() if data.get(c)
        ]
        extra = [(c, data[c]) for c in sorted(data) if c not in ROLE_COLUMNS]
        for heading, rows in (
            ("Education and experience", background),
            ("Role profile", dimensions),
            ("Other details", extra),
        ):
            if rows:
                with st.expander(heading):
                    st.markdown("\n".join(f"- **{md(k)}:** {md(v)}" for k, v in rows))
        if data.get("aliases"):
            st.caption("Also called: " + ", ".join(md(a) for a in data["aliases"]))
        if data.get("source"):
            st.caption(f"Source: {md(data['source'])}")


def compare_panel(cat: Catalogue) -> None:
    """Two roles side by side, differences highlighted."""
    G = cat.G
    pick_a, swap, pick_b = st.columns([5, 1, 5], vertical_alignment="bottom")
    with pick_a:
        role_picker(cat, "Role A", "compare_a", placeholder="Choose a role")
    with pick_b:
        role_picker(cat, "Role B", "compare_b", placeholder="Choose a role to compare")
    state = st.session_state
    swap.button(
        "⇄",
        key="compare-swap",
        help="Swap A and B",
        on_click=lambda: state.update(
            compare_a=state["compare_b"], compare_b=state["compare_a"]
        ),
    )
    a, b = state["compare_a"], state["compare_b"]
    if not a or not b:
        st.info("Choose two roles to compare them side by side.")
        return
    if a == b:
        st.info("Choose two different roles.")
        return
    c = compare_roles(G, a, b)
    title_a, title_b = cat.title(a), cat.title(b)
    metrics = st.columns(3)
    metrics[0].metric("Level gap (B − A)", f"{c.level_gap:+d}")
    metrics[1].metric("Job family", "Same" if c.same_family else "Different")
    path = c.path_a_to_b
    metrics[2].metric("Moves from A to B", str(len(path) - 1) if path else "No path")
    st.markdown(f"**Reporting:** {md(c.reporting_relation)}")
    if path:
        st.markdown("**Path:** " + " → ".join(md(cat.title(r)) for r in path))
    skills = st.columns(3)
    for column, heading, items in (
        (skills[0], f"Skills to gain for {title_b}", c.skills_only_b),
        (skills[1], "Shared skills", c.skills_shared),
        (skills[2], f"Only in {title_a}", c.skills_only_a),
    ):
        column.markdown(f"**{md(heading)}**")
        column.markdown("\n".join(f"- {md(s)}" for s in items) or "_None listed_")
    st.caption("Shaded dimensions differ between the two roles.")
    lines = [
        f"| Dimension | A: {md(title_a)} | B: {md(title_b)} |",
        "| --- | --- | --- |",
    ]
    for row in c.rows + c.extra_rows:
        label = md(row.label)
        if row.differs:
            label = f":orange-background[{label}]"
        lines.append(f"| {label} | {md(row.a) or '—'} | {md(row.b) or '—'} |")
    st.markdown("\n".join(lines))


def planned_paths(cat: Catalogue) -> list[CareerPath]:
    """The paths the planner shows, from the current session state."""
    source, target = st.session_state["path_from"], st.session_state["path_to"]
    if not source or not target or source == target:
        return []
    return career_paths(cat.G, source, target, k=st.session_state["path_k"])


def highlighted_path(paths: list[CareerPath]) -> tuple[str, ...]:
    """The roles of the path chosen for highlighting, if any."""
    if not paths:
        return ()
    choice = min(max(st.session_state["path_choice"], 1), len(paths))
    return paths[choice - 1].roles


def planner_panel(cat: Catalogue, paths: list[CareerPath]) -> None:
    """From one role to another: ranked paths, what changes, downloads."""
    G = cat.G
    pick_from, pick_to, pick_k = st.columns([5, 5, 2])
    with pick_from:
        role_picker(cat, "From", "path_from", placeholder="Starting role")
    with pick_to:
        role_picker(cat, "To", "path_to", placeholder="Target role")
    pick_k.number_input("Paths", 1, 10, key="path_k")
    source, target = st.session_state["path_from"], st.session_state["path_to"]
    if not source or not target:
        st.info("Choose where you start and where you want to go.")
        return
    if source == target:
        st.info("Start and target are the same role.")
        return
    if not paths:
        st.warning(
            f"There is no career path from {md(cat.title(source))} to "
            f"{md(cat.title(target))} over promotions and lateral moves."
        )
        near = nearest_reachable(G, source, target)
        if near:
            st.markdown("**Closest roles you can reach instead:**")
            for role in near:
                st.button(
                    md(cat.title(role)),
                    key=f"near-{role}",
                    on_click=lambda r=role: st.session_state.update(path_to=r),
                )
        return
    st.radio(
        "Highlight in the graph",
        list(range(1, len(paths) + 1)),
        key="path_choice",
        format_func=lambda n: f"Option {n} ({len(paths[n - 1].steps)} steps)",
        horizontal=True,
    )
    table = plan_table(G, paths)
    for number, path in enumerate(paths, start=1):
        years = path.known_years
        timing = f" · about {years:g} years" if years is not None else ""
        st.markdown(
            f"**Option {number}: {len(path.steps)} step"
            f"{'s' * (len(path.steps) > 1)}{timing}** — "
            + " → ".join(md(cat.title(r)) for r in path.roles)
        )
        steps = table[table["path"] == number].drop(columns=["path"])
        steps = steps.loc[:, (steps != "").any() & steps.notna().any()]
        steps = steps.rename(columns=lambda c: c.replace("_", " ").capitalize())
        st.dataframe(steps, hide_index=True, width="stretch", key=f"plan_{number}")
    downloads = st.columns(2)
    name = safe_file_name(f"career-plan-{source}-to-{target}")
    downloads[0].download_button(
        "Download plan (Markdown)",
        plan_markdown(G, paths),
        file_name=f"{name}.md",
        mime="text/markdown",
        key="plan-md",
        on_click="ignore",
    )
    downloads[1].download_button(
        "Download plan (CSV)",
        safe_csv(table),
        file_name=f"{name}.csv",
        mime="text/csv",
        key="plan-csv",
        on_click="ignore",
    )


def reporting_panel(cat: Catalogue) -> None:
    """The chain of command above the selected role and the team below it."""
    G = cat.G
    role = st.session_state["role"]
    chain = reporting_chain(G, role)
    st.markdown(
        "**Chain of command:** " + " › ".join(md(cat.title(r)) for r in reversed(chain))
    )
    team = all_reports(G, role, depth=_ORG_DEPTH)
    roles = set(chain) | set(team)
    view = select_view(G, roles=roles, focus=role, depth=len(chain) + _ORG_DEPTH)
    if len(roles) > 1:
        top = len(chain) - 1
        tiers = {r: top - i for i, r in enumerate(chain)} | {
            r: top + depth for r, depth in team.items()
        }
        payload = view_payload(G, view, edge_types=("reports_to",), tiers=tiers)
        career_graph(
            payload,
            key="org_graph",
            selected=role,
            legend=_legend(cat, payload, ("reports_to",)),
            on_select=lambda: _on_graph_click("org_graph", cat),
            height=380,
            note=f"Org view: {len(chain) - 1} above, {len(team)} below "
            f"(up to {_ORG_DEPTH} levels down)",
        )
    else:
        st.info("No reporting lines recorded for this role.")
    if team:
        st.markdown(f"**Team below:** {len(team)} role(s) within {_ORG_DEPTH} levels")
        st.dataframe(
            pd.DataFrame(
                {
                    "Role": [cat.title(r) for r in team],
                    "Levels below": list(team.values()),
                    "Level": [G.nodes[r]["level"] for r in team],
                }
            ),
            hide_index=True,
            key="team_table",
        )


def _on_table_select(cat: Catalogue, roles: list[str]) -> None:
    rows = st.session_state["roles_table"].selection.rows
    if rows:
        select_role(roles[rows[0]])


def table_panel(cat: Catalogue, view: View) -> None:
    """The roles the graph shows, and the selected role's relations, as tables:
    the accessible twin of the graph."""
    G = cat.G
    shown = set(view.roles)
    roles = [r for r in cat.roles_by_title if r in shown]
    st.caption(
        f"The {len(roles)} roles the graph shows. Select a row to select the role; "
        "arrow keys move, space selects."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Title": [cat.title(r) for r in roles],
                "Family": [G.nodes[r]["family"] for r in roles],
                "Level": [G.nodes[r]["level"] for r in roles],
                "Also called": [
                    "; ".join(G.nodes[r].get("aliases", [])) for r in roles
                ],
                "Id": roles,
            }
        ),
        hide_index=True,
        width="stretch",
        key="roles_table",
        on_select=lambda: _on_table_select(cat, roles),
        selection_mode="single-row",
    )
    role = st.session_state["role"]
    st.markdown(f"**Relations of {md(cat.title(role))}**")
    rows = [
        ("out", t, k, d.get("typical_years"), d.get("note", ""))
        for _, t, k, d in G.out_edges(role, keys=True, data=True)
    ] + [
        ("in", s, k, d.get("typical_years"), d.get("note", ""))
        for s, _, k, d in G.in_edges(role, keys=True, data=True)
    ]
    relations = pd.DataFrame(
        {
            "Direction": ["to" if d == "out" else "from" for d, *_ in rows],
            "Other role": [cat.title(r[1]) for r in rows],
            "Relation": [EDGE_TYPES[r[2]] for r in rows],
            "Typical years": [r[3] for r in rows],
            "Note": [r[4] for r in rows],
        }
    )
    st.dataframe(
        relations.dropna(axis="columns", how="all"),
        hide_index=True,
        width="stretch",
        key="relations_table",
    )


def data_problems(source: str, report: ValidationReport) -> None:
    """The validation report, shown instead of the explorer."""
    st.error(
        f"The data in {md(source)} has {len(report.errors)} error(s) and "
        f"{len(report.warnings)} warning(s). Fix them and reload the page."
    )
    st.dataframe(report.to_frame(), hide_index=True, width="stretch", key="problems")
