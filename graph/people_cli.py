"""The command line's people commands: ``people``, ``readiness``, ``suggest``,
``succession`` and ``plan``. Each runs on the loaded catalogue and the
workspace's people (``--db``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import networkx as nx
from rapidfuzz import process

from graph.errors import CareerGraphError
from graph.people import (
    BANDS,
    READY_NOW,
    Person,
    paths_for_person,
    readiness,
    successors,
    suggest_roles,
)
from graph.plans import PLAN_FORMATS, export_plan, plan_from_path
from graph.queries import role_title
from graph.roster import read_people
from graph.search import find_role
from graph.workspace import PeopleBook, PersonNotFound, open_workspace

__all__ = [
    "people_arguments",
    "readiness_arguments",
    "suggest_arguments",
    "succession_arguments",
    "plan_arguments",
    "run_people",
    "run_readiness",
    "run_suggest",
    "run_succession",
    "run_plan",
]

Emit = Callable[[argparse.Namespace, dict, str], None]


def _book(args: argparse.Namespace) -> PeopleBook:
    return open_workspace(args.db).people


def _person(args: argparse.Namespace) -> Person:
    """The saved person ``args.person`` names (any case), or a clear error
    with the closest saved names."""
    book = _book(args)
    try:
        return book.get(args.person).person
    except PersonNotFound:
        names = [stored.person.name for stored in book.list()]
        exact = [n for n in names if n.casefold() == args.person.strip().casefold()]
        if exact:
            return book.get(exact[0]).person
        close = [m[0] for m in process.extract(args.person, names, limit=3)]
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise PersonNotFound(f"No saved person {args.person!r}{hint}") from None


def people_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("import", "list"))
    parser.add_argument("file", nargs="?", type=Path, help="people.csv to import")


def run_people(args: argparse.Namespace, G: nx.MultiDiGraph, emit: Emit) -> None:
    book = _book(args)
    if args.action == "import":
        if args.file is None:
            raise CareerGraphError("people import needs a file: people import FILE")
        people = read_people(G, args.file.read_bytes(), args.file.name)
        added, updated = book.save_many(people)
        emit(
            args,
            {"added": added, "updated": updated},
            f"Imported {len(people)} people: {added} added, {updated} updated",
        )
        return
    stored = book.list()
    rows = [
        {
            "name": s.person.name,
            "role": s.person.role,
            "targets": list(s.person.targets),
            "skills_rated": len(s.person.ratings),
        }
        for s in stored
    ]
    lines = [
        f"{s.person.name}: {_title(G, s.person.role)}"
        + (
            f" -> {', '.join(_title(G, t) for t in s.person.targets)}"
            if s.person.targets
            else ""
        )
        for s in stored
    ]
    emit(args, {"people": rows}, "\n".join(lines) or "No people saved yet.")


def _title(G: nx.Graph, role: str) -> str:
    """A role's title, or a note when it is not in this catalogue."""
    return role_title(G, role) if role in G else f"{role} (not in this catalogue)"


def readiness_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("person", help="display name")
    parser.add_argument("role", help="id, title or alias")


def run_readiness(args: argparse.Namespace, G: nx.MultiDiGraph, emit: Emit) -> None:
    person = _person(args)
    role = find_role(G, args.role)
    ready = readiness(G, person, role)
    data = {
        "person": person.name,
        "role": role,
        "readiness": ready.percent,
        "met": ready.met,
        "total": ready.total,
        "gaps": [
            {"skill": g.skill, "required": g.required, "current": g.current}
            for g in ready.gaps
        ],
        "explanation": ready.explanation,
    }
    score = f"{ready.percent}%" if ready.percent is not None else "not judged"
    emit(
        args,
        data,
        f"{person.name} for {role_title(G, role)}: {score} ({ready.explanation})",
    )


def suggest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("person", help="display name")
    parser.add_argument("-k", type=int, default=3, help="moves away (default 3)")
    parser.add_argument("-n", type=int, default=10, help="how many (default 10)")
    parser.add_argument("--family", action="append", help="only this family")


def run_suggest(args: argparse.Namespace, G: nx.MultiDiGraph, emit: Emit) -> None:
    person = _person(args)
    _check_role_in(G, person)
    suggestions = suggest_roles(G, person, k=args.k, families=args.family, n=args.n)
    rows = [
        {"role": s.role, "readiness": s.readiness.percent, "moves": s.moves}
        for s in suggestions
    ]
    lines = [
        f"{s.readiness.percent:3d}%  {role_title(G, s.role)} ({s.moves} move"
        f"{'s' * (s.moves != 1)}; {s.readiness.explanation})"
        for s in suggestions
    ]
    emit(args, {"person": person.name, "suggestions": rows}, "\n".join(lines) or "None")


def succession_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("role", help="id, title or alias")


def run_succession(args: argparse.Namespace, G: nx.MultiDiGraph, emit: Emit) -> None:
    role = find_role(G, args.role)
    people = [s.person for s in _book(args).list()]
    ranked = successors(G, people, role)
    rows = [
        {"person": s.person.name, "readiness": s.readiness.percent, "band": s.band}
        for s in ranked
    ]
    bench = {band: sum(r["band"] == band for r in rows) for band in BANDS}
    lines = [f"Succession for {role_title(G, role)} (ready now: {READY_NOW}% or more)"]
    lines += [f"  {r['readiness']:3d}%  {r['person']} ({r['band']})" for r in rows]
    lines.append(
        f"Bench: {bench['ready now']} ready now, "
        f"{bench['ready after one move']} after one move"
    )
    emit(args, {"role": role, "successors": rows, "bench": bench}, "\n".join(lines))


def plan_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("export",))
    parser.add_argument("person", help="display name")
    parser.add_argument("--format", choices=PLAN_FORMATS, required=True)
    parser.add_argument("--out", type=Path, required=True, help="file to write")


def run_plan(args: argparse.Namespace, G: nx.MultiDiGraph, emit: Emit) -> None:
    """Export the person's latest saved plan; without one, a plan along their
    best path to their first target (said so, and not saved)."""
    person = _person(args)
    plans = _book(args).plans(person.name)
    if plans:
        plan, origin = plans[-1].plan, f"saved plan, revision {plans[-1].revision}"
    else:
        if not person.targets:
            raise CareerGraphError(
                f"{person.name} has no saved plan and no target role to plan for."
            )
        _check_role_in(G, person)
        found = paths_for_person(G, person, person.targets[0], k=1)
        if not found:
            raise CareerGraphError(
                f"No career path from {_title(G, person.role)} to "
                f"{_title(G, person.targets[0])}."
            )
        plan = plan_from_path(person, found[0])
        origin = "not saved: made from the best path to their first target"
    source = G.graph.get("about", {}).get("title") or Path(str(args.data)).name
    args.out.write_bytes(export_plan(G, plan, person, args.format, source))
    emit(
        args,
        {"person": person.name, "out": str(args.out), "origin": origin},
        f"Wrote {person.name}'s plan ({origin}) to {args.out}",
    )


def _check_role_in(G: nx.Graph, person: Person) -> None:
    if person.role not in G:
        raise CareerGraphError(
            f"{person.name}'s role {person.role!r} is not in this catalogue; "
            "choose the catalogue they were planned on with --data or --catalogue."
        )
