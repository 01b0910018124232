"""A person's development plans: start one from a path, edit its actions,
save it (each save kept as history), download it as Markdown, CSV or PDF."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from graph.people import Person, PersonPath
from graph.plans import (
    STATUSES,
    DevelopmentPlan,
    PlanError,
    export_plan,
    plan_from_path,
)
from graph.text import escape_markdown as md
from graph.text import safe_file_name
from graph.workspace import PeopleBook, StoredPlan, WorkspaceError
from ui.data import Catalogue

__all__ = ["plans_section"]

_DOWNLOADS = (
    ("md", "Markdown", "text/markdown"),
    ("csv", "CSV", "text/csv"),
    ("pdf", "PDF", "application/pdf"),
)


def _start_plan(book: PeopleBook, person: Person, chosen: PersonPath) -> None:
    """Callback: save a new plan along ``chosen`` and open it."""
    try:
        stored = book.save_plan(plan_from_path(person, chosen))
    except WorkspaceError as error:
        st.session_state["plan_error"] = str(error)
        return
    st.session_state["plan_pick"] = stored.id
    st.session_state["plan_saved"] = "Plan started; add actions and dates, then save."


def _edited_plan(plan: DevelopmentPlan, key: str) -> DevelopmentPlan:
    """The plan as the form's widgets hold it."""
    state = st.session_state
    actions = []
    for number, old in enumerate(plan.actions):
        due = state.get(f"{key}-due-{number}")
        actions.append(
            replace(
                old,
                action=state.get(f"{key}-action-{number}") or "",
                due=due.isoformat() if due else "",
                status=state.get(f"{key}-status-{number}") or STATUSES[0],
            )
        )
    return replace(plan, actions=tuple(actions), notes=state.get(f"{key}-notes", ""))


def _plan_label(cat: Catalogue, stored: StoredPlan) -> str:
    actions = stored.plan.actions
    done = sum(a.status == "done" for a in actions)
    when = f"{stored.updated_at:%Y-%m-%d %H:%M}"
    return (
        f"Towards {cat.title(stored.plan.target)} · {done}/{len(actions)} done · "
        f"saved {when} UTC (revision {stored.revision})"
    )


def _editor(cat: Catalogue, book: PeopleBook, person: Person, stored: StoredPlan):
    plan = stored.plan
    st.markdown(
        "Path: " + " → ".join(md(cat.title(r)) for r in plan.path if r in cat.G)
    )
    # one row of plain widgets per gap: keyboard and screen-reader friendly
    key = f"plan-{stored.id}-{stored.revision}"
    widths = [3, 1.4, 4, 2.2, 2]
    with st.form(key):
        for column, heading in zip(
            st.columns(widths),
            ("Skill", "Level: now → needed", "Action", "Target date", "Status"),
            strict=True,
        ):
            column.markdown(f"**{heading}**")
        for number, action in enumerate(plan.actions):
            skill, level, what, when, status = st.columns(
                widths, vertical_alignment="center"
            )
            skill.markdown(md(action.skill))
            level.markdown(f"{action.current} → {action.required}")
            what.text_input(
                f"Action for {action.skill}",
                value=action.action,
                max_chars=500,
                key=f"{key}-action-{number}",
                label_visibility="collapsed",
                placeholder="What they will do",
            )
            when.date_input(
                f"Target date for {action.skill}",
                value=date.fromisoformat(action.due) if action.due else None,
                format="YYYY-MM-DD",
                key=f"{key}-due-{number}",
                label_visibility="collapsed",
            )
            status.selectbox(
                f"Status of {action.skill}",
                STATUSES,
                index=STATUSES.index(action.status),
                key=f"{key}-status-{number}",
                label_visibility="collapsed",
            )
        st.text_area("Plan notes", value=plan.notes, key=f"{key}-notes")
        submitted = st.form_submit_button("Save plan", type="primary")
    if submitted:
        try:
            saved = book.save_plan(
                _edited_plan(plan, key), plan_id=stored.id, revision=stored.revision
            )
        except (PlanError, WorkspaceError) as error:
            st.error(str(error))
        else:
            st.session_state["plan_saved"] = f"Plan saved (revision {saved.revision})."
            st.rerun()
    history = book.plan_history(stored.id)
    with st.expander(f"History ({len(history)} saved revision(s))"):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "revision": number,
                        "saved (UTC)": f"{when:%Y-%m-%d %H:%M}",
                        "actions with a date": sum(bool(a.due) for a in old.actions),
                        "done": sum(a.status == "done" for a in old.actions),
                    }
                    for number, when, old in history
                ]
            ),
            hide_index=True,
            width="stretch",
            key=f"plan-history-{stored.id}",
        )
    source = cat.source.removesuffix(" (read-only)")
    name = safe_file_name(f"development-plan-{person.name}-{plan.target}")
    for column, (fmt, label, mime) in zip(
        st.columns(len(_DOWNLOADS)), _DOWNLOADS, strict=True
    ):
        column.download_button(
            f"Download ({label})",
            data=lambda fmt=fmt: export_plan(cat.G, plan, person, fmt, source),
            file_name=f"{name}.{fmt}",
            mime=mime,
            key=f"plan-download-{fmt}",
            on_click="ignore",
        )


def plans_section(
    cat: Catalogue, book: PeopleBook, person: Person, found: list[PersonPath]
) -> None:
    """Start a plan from one of ``found``, or open and edit a saved one."""
    state = st.session_state
    st.markdown("#### Development plans")
    for key, show in (("plan_saved", st.success), ("plan_error", st.error)):
        if message := state.pop(key, None):
            show(message)
    if found:
        columns = st.columns(len(found))
        for number, (column, option) in enumerate(zip(columns, found, strict=True), 1):
            column.button(
                f"Start a plan from option {number}",
                key=f"plan-start-{number}",
                on_click=_start_plan,
                args=(book, person, option),
            )
    saved = book.plans(person.name)
    if not saved:
        st.caption("No plan saved for this person yet.")
        return
    ids = [stored.id for stored in reversed(saved)]
    if state.get("plan_pick") not in ids:
        state["plan_pick"] = ids[0]
    by_id = {stored.id: stored for stored in saved}
    st.selectbox(
        "Plan",
        ids,
        key="plan_pick",
        format_func=lambda plan_id: _plan_label(cat, by_id[plan_id]),
    )
    _editor(cat, book, person, by_id[state["plan_pick"]])
