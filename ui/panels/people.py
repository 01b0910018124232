"""The People tab: a person's skill profile, their readiness for a role, the
roles they are closest to, paths that close their gaps, and their plans.

People live in the workspace, so they survive a reload and a restart. Their
names never go into the URL (links end up in logs and browser histories).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from graph import InvalidData
from graph.lists import split_list
from graph.people import Person, paths_for_person, readiness, suggest_roles
from graph.roster import PEOPLE_FILE, read_people
from graph.skills import (
    MAX_SKILL_LEVEL,
    SKILL_SCALE,
    canonical_skill,
    parse_skill,
    required_skills,
)
from graph.text import escape_markdown as md
from graph.workspace import PeopleBook, StoredPerson, WorkspaceError
from ui.catalogues import current_folder
from ui.data import AppOptions, Catalogue, workspace
from ui.panels.dev_plans import plans_section
from ui.tabs import PanelContext

__all__ = ["people_panel", "people_here"]

_NEW = ""  # the person picker's "new person" choice


def people_here(options: AppOptions, cat: Catalogue) -> tuple[list[StoredPerson], int]:
    """The saved people whose role is in this catalogue, and how many others
    are saved (planned on another catalogue)."""
    everyone = workspace(options.db).people.list()
    here = [stored for stored in everyone if stored.person.role in cat.G]
    return here, len(everyone) - len(here)


def _add_examples(options: AppOptions, folder: Path, cat: Catalogue) -> None:
    """Callback: save the folder's fictional example people."""
    try:
        people = read_people(cat.G, (folder / PEOPLE_FILE).read_bytes())
        added, _ = workspace(options.db).people.save_many(people)
    except (InvalidData, WorkspaceError) as error:
        st.session_state["people_error"] = f"Examples not added: {error}"
        return
    st.session_state["people_saved"] = f"Added {added} fictional example people."
    st.session_state["person_pick"] = people[0].name


def _skills_to_rate(G, person: Person | None, role: str | None, targets) -> dict:
    """Skill -> rating: the person's ratings, then a 0 for each skill their
    role and targets require that they have no rating for yet."""
    ratings = dict(person.ratings) if person else {}
    known = {canonical_skill(G, name).casefold() for name in ratings}
    for wanted in [role, *targets]:
        if wanted in G:
            for key, (name, _) in required_skills(G, wanted).items():
                if key not in known:
                    ratings[name] = 0
                    known.add(key)
    return ratings


def _form_key(stored: StoredPerson | None, field: str) -> str:
    """Widget keys per person, so switching person shows their own values."""
    return f"pf-{stored.person.name if stored else _NEW}-{field}"


def _save_person(book: PeopleBook, stored: StoredPerson | None, skills: list) -> None:
    """Callback: save the form's person; a stale edit is refused."""
    state = st.session_state

    def value(field: str):
        return state.get(_form_key(stored, field))

    role = value("role")
    if not role:
        state["people_error"] = "Not saved: choose their current role."
        return
    ratings = {skill: int(value(f"rating::{skill}") or 0) for skill in skills}
    extra = value("extra") or ""
    for entry in split_list(extra):
        name, level = parse_skill(entry)
        if level is None or not 0 <= level <= MAX_SKILL_LEVEL or level != int(level):
            state["people_error"] = (
                f"Not saved: other skills, {entry!r}: write Name:level with a "
                f"whole level from 0 to {MAX_SKILL_LEVEL}"
            )
            return
        ratings[name] = int(level)
    person = Person(
        name=stored.person.name if stored else (value("name") or ""),
        role=role,
        ratings=ratings,
        targets=tuple(value("targets") or ()),
        notes=value("notes") or "",
    )
    try:
        saved = book.save(person, revision=stored.revision if stored else None)
    except WorkspaceError as error:
        state["people_error"] = str(error)
        return
    state.pop(_form_key(stored, "extra"), None)
    if stored is None:  # the next new person starts from an empty form
        for key in [k for k in state if k.startswith(_form_key(None, ""))]:
            del state[key]
    state["people_saved"] = f"Saved {saved.person.name}."
    state["person_pick"] = saved.person.name


def _person_form(book: PeopleBook, cat: Catalogue, stored: StoredPerson | None) -> None:
    """Create or edit a person: name, role, targets, a rating per skill."""
    G = cat.G
    person = stored.person if stored else None
    roles = list(cat.roles_by_title)
    state = st.session_state
    defaults = {
        "name": "",
        "role": person.role if person else None,
        "targets": [t for t in (person.targets if person else ()) if t in G],
        "notes": person.notes if person else "",
    }
    for field, default in defaults.items():
        state.setdefault(_form_key(stored, field), default)
    if person is None:
        st.text_input(
            "Display name",
            key=_form_key(stored, "name"),
            max_chars=200,
            help="A name people recognise; no other personal data is needed.",
        )
    left, right = st.columns(2)
    left.selectbox(
        "Current role",
        roles,
        key=_form_key(stored, "role"),
        format_func=cat.title,
        placeholder="Their role today",
    )
    right.multiselect(
        "Target roles",
        roles,
        key=_form_key(stored, "targets"),
        format_func=cat.title,
        placeholder="Roles they aim for",
    )
    ratings = _skills_to_rate(
        G, person, state[_form_key(stored, "role")], state[_form_key(stored, "targets")]
    )
    st.markdown("**Skill ratings**")
    st.caption(
        "0 not yet; "
        + "; ".join(f"{n} {text.split(':')[0]}" for n, text in SKILL_SCALE.items())
        + ". The skills of their role and targets are listed."
    )
    columns = st.columns(3)
    for number, (skill, rating) in enumerate(ratings.items()):
        columns[number % 3].number_input(
            skill,
            min_value=0,
            max_value=MAX_SKILL_LEVEL,
            step=1,
            value=int(rating),
            key=_form_key(stored, f"rating::{skill}"),
        )
    st.text_input(
        "Other skills",
        key=_form_key(stored, "extra"),
        placeholder="Name:level; Name:level",
    )
    st.text_area("Notes", key=_form_key(stored, "notes"))
    st.button(
        "Save person",
        key=_form_key(stored, "save"),
        type="primary",
        on_click=_save_person,
        args=(book, stored, list(ratings)),
    )


def _readiness_section(cat: Catalogue, person: Person) -> str | None:
    """Readiness for a chosen role (a target by default); returns that role."""
    G = cat.G
    options = [t for t in person.targets if t in G] + [
        r for r in cat.roles_by_title if r not in person.targets and r != person.role
    ]
    key = "readiness_role"
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0] if options else None
    role = st.selectbox("Readiness for", options, key=key, format_func=cat.title)
    if role is None:
        return None
    ready = readiness(G, person, role)
    left, right = st.columns([1, 3])
    left.metric(
        "Readiness",
        f"{ready.percent}%" if ready.percent is not None else "–",
        help="Share of the role's required skill levels they have: "
        "sum of min(rating, required) over the sum of required levels.",
    )
    text = ready.explanation
    right.markdown(md(text[:1].upper() + text[1:]))
    if ready.gaps:
        right.dataframe(
            pd.DataFrame(
                [
                    {"skill": g.skill, "now": g.current, "needed": g.required}
                    for g in ready.gaps
                ]
            ),
            hide_index=True,
            width="stretch",
            key="readiness-gaps",
        )
    return role


def _suggestions_section(cat: Catalogue, person: Person) -> None:
    G = cat.G
    st.markdown("#### Closest roles for this person")
    moves, families, levels = st.columns([1, 3, 1.5])
    k = moves.slider("Within moves", 1, 4, 2, key="suggest_k")
    chosen = families.multiselect(
        "Families", cat.families, key="suggest_families", placeholder="All families"
    )
    span = (cat.min_level, cat.max_level)
    if cat.min_level < cat.max_level:
        span = levels.slider("Levels", *span, value=span, key="suggest_levels")
    found = suggest_roles(G, person, k=k, families=chosen or None, levels=span, n=10)
    if not found:
        st.caption("No role with listed skills within reach; widen the search.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "role": cat.title(s.role),
                    "readiness %": s.readiness.percent,
                    "moves": s.moves,
                    "why": s.readiness.explanation,
                }
                for s in found
            ]
        ),
        hide_index=True,
        width="stretch",
        key="suggestions",
    )


def _paths_section(cat: Catalogue, person: Person, target: str) -> list:
    G = cat.G
    st.markdown(f"#### Paths to {md(cat.title(target))}")
    found = paths_for_person(G, person, target, k=3)
    if not found:
        st.caption(
            f"No career path from {md(cat.title(person.role))} to "
            f"{md(cat.title(target))}."
        )
        return []
    for number, option in enumerate(found, start=1):
        steps = len(option.path.steps)
        st.markdown(
            f"**Option {number}** ({steps} step{'s' * (steps != 1)}; "
            f"{option.remaining_levels} skill level(s) still to gain on arrival): "
            + " → ".join(md(cat.title(r)) for r in option.path.roles)
        )
        lines = [
            f"- {md(cat.title(a))} → {md(cat.title(b))}: "
            + (
                "builds " + ", ".join(md(str(g)) for g in gaps)
                if gaps
                else "builds no listed skill"
            )
            for a, b, gaps in zip(
                option.path.roles, option.path.roles[1:-1], option.closes, strict=False
            )
        ]
        lines.append(
            "- Still to close on arrival: "
            + (", ".join(md(str(g)) for g in option.remaining) or "nothing")
        )
        st.markdown("\n".join(lines))
    return found


def people_panel(ctx: PanelContext) -> None:
    """Pick or create a person; see where they stand and plan their next step."""
    cat, options = ctx.catalogue, ctx.options
    state = st.session_state
    book = workspace(options.db).people
    for key, show in (("people_saved", st.success), ("people_error", st.error)):
        if message := state.pop(key, None):
            show(message)
    here, elsewhere = people_here(options, cat)
    names = [stored.person.name for stored in here]
    folder = current_folder(options) if cat.saved is None else None
    if not here and folder is not None and (folder / PEOPLE_FILE).is_file():
        st.button(
            "Add the fictional example people",
            key="people-examples",
            on_click=_add_examples,
            args=(options, folder, cat),
            help="A few made-up people on this catalogue, to try planning with.",
        )
    if state.get("person_pick") not in [_NEW, *names]:
        state["person_pick"] = names[0] if names else _NEW
    st.selectbox(
        "Person",
        [_NEW, *names],
        key="person_pick",
        format_func=lambda n: n or "➕ New person",
    )
    if elsewhere:
        st.caption(f"{elsewhere} more saved on other catalogues.")
    chosen = state["person_pick"]
    stored = next((s for s in here if s.person.name == chosen), None)
    with st.expander(
        "Skill profile" if stored else "New person", expanded=stored is None
    ):
        _person_form(book, cat, stored)
    if stored is None:
        return
    person = stored.person
    st.markdown(
        f"**{md(person.name)}**, {md(cat.title(person.role))} · "
        f"{sum(level > 0 for level in person.ratings.values())} skill(s) rated"
    )
    target = _readiness_section(cat, person)
    _suggestions_section(cat, person)
    if target is not None:
        found = _paths_section(cat, person, target)
        plans_section(cat, book, person, found)
