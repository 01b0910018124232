"""Command line: ``python -m graph validate|role|path|compare|chain|export|synth``.

Exit status 0 on success, 1 on invalid data or an unknown role, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

import networkx as nx

from graph.compare import compare_roles
from graph.errors import CareerGraphError, InvalidData, RoleNotFound
from graph.export import EXPORT_FORMATS, export_graph
from graph.loading import load_graph
from graph.paths import career_paths, nearest_reachable
from graph.queries import (
    direct_reports,
    managers,
    next_moves,
    previous_roles,
    reporting_chain,
    role_title,
)
from graph.search import find_role
from graph.synth import write_catalogue

__all__ = ["main", "DEFAULT_DATA"]

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m graph", description="Explore a career-path graph."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="folder with roles.csv, edges.csv",
    )
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", parents=[common], help="check the data")
    role = commands.add_parser("role", parents=[common], help="show one role")
    role.add_argument("name", help="id, title or alias")
    path = commands.add_parser("path", parents=[common], help="career paths A to B")
    path.add_argument("source")
    path.add_argument("target")
    path.add_argument("-k", type=int, default=5, help="how many paths (default 5)")
    compare = commands.add_parser("compare", parents=[common], help="compare A and B")
    compare.add_argument("a")
    compare.add_argument("b")
    chain = commands.add_parser("chain", parents=[common], help="chain of command")
    chain.add_argument("name")
    export = commands.add_parser("export", parents=[common], help="write the graph")
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    export.add_argument("--out", type=Path, required=True, help="file to write")
    synth = commands.add_parser("synth", help="write a synthetic catalogue")
    synth.add_argument("--roles", type=int, required=True, help="how many roles")
    synth.add_argument("--out", type=Path, required=True, help="folder to write")
    synth.add_argument("--seed", type=int, default=7)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "synth":
        if args.roles < 20:
            print("--roles must be at least 20", file=sys.stderr)
            return 2
        roles, edges = write_catalogue(args.roles, args.out, args.seed)
        print(f"Wrote {roles} roles and {edges} relations to {args.out}")
        return 0
    try:
        G, report = load_graph(args.data)
    except InvalidData as error:
        _emit(
            args,
            {"ok": False, "problems": error.report.to_dicts()},
            error.report.summary(),
        )
        return 1
    except OSError as error:
        print(f"Cannot read data folder {str(args.data)!r}: {error}", file=sys.stderr)
        return 1
    try:
        if args.command == "validate":
            text = f"{args.data}: {len(G)} roles, {G.number_of_edges()} relations\n"
            _emit(
                args,
                {"ok": True, "problems": report.to_dicts()},
                text + report.summary(),
            )
        elif args.command == "role":
            _role(args, G, find_role(G, args.name))
        elif args.command == "path":
            _path(args, G, find_role(G, args.source), find_role(G, args.target))
        elif args.command == "compare":
            _compare(args, G, find_role(G, args.a), find_role(G, args.b))
        elif args.command == "chain":
            chain = reporting_chain(G, find_role(G, args.name))
            lines = [
                f"{'  ' * i}{role_title(G, r)}" for i, r in enumerate(reversed(chain))
            ]
            _emit(args, {"chain": chain}, "\n".join(lines))
        elif args.command == "export":
            path = export_graph(G, args.format, args.out)
            _emit(args, {"written": str(path)}, f"Wrote {path} ({args.format})")
    except RoleNotFound as error:
        if args.json:
            print(json.dumps({"error": str(error), "suggestions": error.suggestions}))
        else:
            print(error, file=sys.stderr)
        return 1
    except (CareerGraphError, OSError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def _emit(args: argparse.Namespace, data: dict, text: str) -> None:
    print(json.dumps(data, indent=2, default=str) if args.json else text)


def _role(args: argparse.Namespace, G: nx.MultiDiGraph, role: str) -> None:
    data = dict(G.nodes[role])
    moves = next_moves(G, role)
    sources = previous_roles(G, role)
    lines = [
        f"{data['title']} ({role})",
        f"  Family: {data['family']}, level {data['level']}",
    ]
    if data.get("summary"):
        lines.append(f"  {data['summary']}")
    lines.append(f"  Reports to: {_titles(G, managers(G, role))}")
    lines.append(f"  Direct reports: {_titles(G, direct_reports(G, role))}")
    lines.append("  Next moves: " + (", ".join(_move_text(m) for m in moves) or "none"))
    lines.append(
        "  Leads here from: " + (", ".join(_move_text(m) for m in sources) or "none")
    )
    payload = {
        "role": data,
        "reports_to": managers(G, role),
        "direct_reports": direct_reports(G, role),
        "next_moves": [asdict(m) for m in moves],
        "previous_roles": [asdict(m) for m in sources],
    }
    _emit(args, payload, "\n".join(lines))


def _path(
    args: argparse.Namespace, G: nx.MultiDiGraph, source: str, target: str
) -> None:
    paths = career_paths(G, source, target, k=args.k)
    if not paths:
        near = nearest_reachable(G, source, target)
        text = (
            f"No career path from {role_title(G, source)} to {role_title(G, target)}."
            + (f" Closest reachable: {_titles(G, near)}." if near else "")
        )
        _emit(args, {"paths": [], "nearest_reachable": near}, text)
        return
    lines = []
    for number, path in enumerate(paths, start=1):
        years = path.known_years
        timing = f", about {years:g} years" if years is not None else ""
        lines.append(f"{number}. {len(path.steps)} step(s){timing}")
        for step in path.steps:
            arrow = "promotion" if step.type == "promotion" else "lateral move"
            gain = ", ".join(step.skills_to_gain)
            lines.append(
                f"   {role_title(G, step.source)} -> {role_title(G, step.target)}"
                f" ({arrow}, level {step.level_change:+d})"
                + (f"; skills to gain: {gain}" if gain else "")
            )
    data = {
        "paths": [
            {"roles": p.roles, "steps": [asdict(s) for s in p.steps]} for p in paths
        ]
    }
    _emit(args, data, "\n".join(lines))


def _compare(args: argparse.Namespace, G: nx.MultiDiGraph, a: str, b: str) -> None:
    c = compare_roles(G, a, b)
    title_a, title_b = role_title(G, a), role_title(G, b)
    lines = [f"{title_a}  vs  {title_b}", ""]
    for row in c.rows + c.extra_rows:
        mark = "*" if row.differs else " "
        lines.append(f"{mark} {row.label}")
        lines.append(f"    {title_a}: {row.a or '—'}")
        lines.append(f"    {title_b}: {row.b or '—'}")
    lines += [
        "",
        f"Level gap: {c.level_gap:+d}; same family: {'yes' if c.same_family else 'no'}",
        f"Reporting: {c.reporting_relation}",
        f"Skills to gain for {title_b}: {', '.join(c.skills_only_b) or 'none listed'}",
        f"Shared skills: {', '.join(c.skills_shared) or 'none listed'}",
        "Career path: "
        + (
            " -> ".join(role_title(G, r) for r in c.path_a_to_b)
            if c.path_a_to_b
            else f"none from {title_a} to {title_b}"
        ),
    ]
    _emit(args, asdict(c), "\n".join(lines))


def _titles(G: nx.Graph, roles: list[str]) -> str:
    return ", ".join(role_title(G, r) for r in roles) or "none"


def _move_text(move) -> str:
    years = f", ~{move.typical_years:g} y" if move.typical_years is not None else ""
    return f"{move.title} ({move.type}{years})"
