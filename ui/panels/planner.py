"""The Plan a path tab: ranked paths from one role to another, and downloads."""

from __future__ import annotations

import streamlit as st

from graph import CareerPath, career_paths, nearest_reachable, option_heading
from graph.export import plan_markdown, plan_table, safe_csv
from graph.paths import MAX_MOVES_LIMIT, fewest_moves
from graph.schema import move_phrase
from graph.text import escape_markdown as md
from graph.text import safe_file_name
from ui.data import Catalogue
from ui.search_box import role_search
from ui.tabs import PanelContext

__all__ = ["planned_paths", "highlighted_path", "planner_panel"]


def planned_paths(cat: Catalogue) -> list[CareerPath]:
    """The paths the planner shows, from the current session state."""
    source, target = st.session_state["path_from"], st.session_state["path_to"]
    if not source or not target or source == target:
        return []
    return career_paths(
        cat.G,
        source,
        target,
        k=st.session_state["path_k"],
        allow_step_down=st.session_state["path_step_down"],
        max_moves=st.session_state["path_max_moves"],
    )


def highlighted_path(paths: list[CareerPath]) -> tuple[str, ...]:
    """The roles of the path chosen for highlighting, if any."""
    if not paths:
        return ()
    choice = min(max(st.session_state["path_choice"], 1), len(paths))
    return paths[choice - 1].roles


def _no_path(cat: Catalogue, source: str, target: str) -> None:
    step_down = st.session_state["path_step_down"]
    needed = fewest_moves(cat.G, source, target, allow_step_down=step_down)
    if needed is not None:
        limit = st.session_state["path_max_moves"]
        st.warning(
            f"The shortest career path from {md(cat.title(source))} to "
            f"{md(cat.title(target))} takes {needed} moves; the planner looked "
            f"for paths of at most {limit}."
        )
        st.button(
            f"Show paths of up to {needed} moves",
            key="path_raise_moves",
            disabled=needed > MAX_MOVES_LIMIT,
            on_click=lambda: st.session_state.update(path_max_moves=needed),
        )
        return
    st.warning(
        f"There is no career path from {md(cat.title(source))} to "
        f"{md(cat.title(target))} over {move_phrase()}."
    )
    if not step_down:
        st.caption("Paths that step down a level were left out; allow them above.")
    near = nearest_reachable(cat.G, source, target)
    if near:
        st.markdown("**Closest roles you can reach instead:**")
        for role in near:
            st.button(
                md(cat.title(role)),
                key=f"near-{role}",
                on_click=lambda r=role: st.session_state.update(path_to=r),
            )


def planner_panel(ctx: PanelContext) -> None:
    """From one role to another: ranked paths, what changes, downloads."""
    cat, paths = ctx.catalogue, ctx.paths
    G = cat.G
    pick_from, pick_to, pick_k = st.columns([5, 5, 2])
    with pick_from:
        role_search(cat, "From", "path_from", placeholder="Starting role")
    with pick_to:
        role_search(cat, "To", "path_to", placeholder="Target role")
    pick_k.number_input("Paths", 1, 10, key="path_k")
    st.toggle(
        "Allow steps down a level on the way",
        key="path_step_down",
        help="Off: towards a more senior role no step goes down a level, and "
        "towards a role at your level no step goes below it.",
    )
    source, target = st.session_state["path_from"], st.session_state["path_to"]
    if not source or not target:
        st.info("Choose where you start and where you want to go.")
        return
    if source == target:
        st.info("Start and target are the same role.")
        return
    if not paths:
        _no_path(cat, source, target)
        return
    st.radio(
        "Highlight in the graph",
        list(range(1, len(paths) + 1)),
        key="path_choice",
        format_func=lambda n: option_heading(n, paths[n - 1]),
        horizontal=True,
    )
    table = plan_table(G, paths)
    for number, path in enumerate(paths, start=1):
        st.markdown(
            f"**{option_heading(number, path)}** — "
            + " → ".join(md(cat.title(r)) for r in path.roles)
        )
        steps = table[table["path"] == number].drop(columns=["path"])
        steps = steps.loc[:, (steps != "").any() & steps.notna().any()]
        steps = steps.rename(columns=lambda c: c.replace("_", " ").capitalize())
        st.dataframe(steps, hide_index=True, width="stretch", key=f"plan_{number}")
    # the downloads hold the option chosen above, and say where it came from
    choice = min(max(st.session_state["path_choice"], 1), len(paths))
    chosen = [paths[choice - 1]]
    data_source = cat.source.removesuffix(" (read-only)")
    downloads = st.columns(2)
    name = safe_file_name(f"career-plan-{source}-to-{target}-option-{choice}")
    downloads[0].download_button(
        f"Download option {choice} (Markdown)",
        plan_markdown(G, chosen, data_source),
        file_name=f"{name}.md",
        mime="text/markdown",
        key="plan-md",
        on_click="ignore",
    )
    downloads[1].download_button(
        f"Download option {choice} (CSV)",
        safe_csv(plan_table(G, chosen)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key="plan-csv",
        on_click="ignore",
    )
