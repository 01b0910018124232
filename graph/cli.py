"""Command line: ``python -m graph validate|role|path|compare|chain|export|
workspace|synth``.

Exit status 0 on success, 1 on invalid data or an unknown role, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from functools import partial
from pathlib import Path

import networkx as nx

from graph import people_cli
from graph.cache import BuildCache, default_cache
from graph.compare import compare_roles
from graph.errors import CareerGraphError, InvalidData, RoleNotFound
from graph.export import EXPORT_FORMATS, export_graph, safe_csv
from graph.importers.onet import import_onet
from graph.indexes import relation_counts
from graph.limits import Limits
from graph.loading import SkippedRow, load_graph, skipped_frame
from graph.paths import (
    MAX_MOVES_LIMIT,
    career_paths,
    fewest_moves,
    nearest_reachable,
    option_heading,
)
from graph.queries import (
    MAX_PATH_MOVES,
    direct_reports,
    level_label,
    managers,
    next_moves,
    previous_roles,
    reporting_chain,
    role_title,
)
from graph.schema import BUNDLED_CATALOGUES, BUNDLED_DATA, RELATION_TYPES
from graph.search import find_role
from graph.synth import MIN_ROLES, write_catalogue
from graph.validation import ValidationReport
from graph.workspace import cli as workspace_cli

__all__ = ["main", "COMMANDS", "terminal_safe"]


@dataclass(frozen=True)
class _Command:
    """One subcommand: its arguments, and the handler that runs it on the
    loaded graph (``None`` for commands that load no data)."""

    name: str
    help: str
    handler: Callable[[argparse.Namespace, nx.MultiDiGraph | None], None]
    arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    loads_data: bool = True


def _at_least(minimum: int):
    return _between(minimum, None)


def _between(minimum: int, maximum: int | None):
    def parse(text: str) -> int:
        number = int(text)
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        if maximum is not None and number > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum}")
        return number

    return parse


def data_folder(text: str) -> Path:
    """``--data``: a folder, or the name of a bundled catalogue (a folder of
    that name wins).

    Examples
    --------
    >>> data_folder("onet").name
    'onet'
    """
    folder = Path(text)
    if not folder.is_dir() and text in BUNDLED_CATALOGUES:
        return BUNDLED_CATALOGUES[text]
    return folder


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m graph", description="Explore a career-path graph."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for command in _COMMANDS:
        sub = commands.add_parser(command.name, help=command.help)
        if command.loads_data:
            source = sub.add_mutually_exclusive_group()
            source.add_argument(
                "--data",
                type=data_folder,
                default=BUNDLED_DATA,
                help="folder with roles.csv, edges.csv, or a bundled catalogue: "
                f"{', '.join(BUNDLED_CATALOGUES)} (default: operations)",
            )
            source.add_argument(
                "--catalogue",
                metavar="NAME[@VERSION]",
                help="a catalogue saved in the workspace (latest version by default)",
            )
            workspace_cli.add_db_argument(sub)
            sub.add_argument(
                "--skip-invalid",
                action="store_true",
                help="leave out rows with errors (listed on stderr) and load the "
                "rest; by default one bad row stops the load",
            )
            sub.add_argument(
                "--skipped-out",
                type=Path,
                metavar="CSV",
                help="with --skip-invalid: write the rows left out to this file",
            )
            for budget in fields(Limits):
                sub.add_argument(
                    Limits.option(budget.name),
                    dest=f"max_{budget.name}",
                    type=_at_least(1),
                    default=budget.default,
                    metavar="N",
                    help=f"at most N {budget.metadata['help']} "
                    f"(default {budget.default:,})",
                )
        sub.add_argument("--json", action="store_true", help="print JSON for scripts")
        command.arguments(sub)
        sub.set_defaults(command=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Usage errors exit 2 (argparse). Everything else that goes wrong exits 1
    through one path: a message on stderr, as JSON with ``--json``.
    """
    args = _parser().parse_args(argv)
    try:
        G = None
        if args.command.loads_data:
            G, args.report = _load(args)
            _tell_skipped(args, G.graph.get("skipped", []))
        args.command.handler(args, G)
    except InvalidData as error:
        return _fail(args, error.report.summary(), problems=error.report.to_dicts())
    except RoleNotFound as error:
        return _fail(args, str(error), suggestions=error.suggestions)
    except (CareerGraphError, OSError) as error:
        return _fail(args, str(error))
    return 0


def _load(args: argparse.Namespace) -> tuple[nx.MultiDiGraph, ValidationReport]:
    if args.catalogue:
        # a saved version passed validation when it was saved
        saved = workspace_cli.load_saved(args.db, args.catalogue)
        args.data = f"{saved.info.catalogue}@{saved.info.number}"
        return saved.load(cache=_cache())
    limits = Limits(**{b.name: getattr(args, f"max_{b.name}") for b in fields(Limits)})
    return load_graph(
        args.data, skip_invalid=args.skip_invalid, limits=limits, cache=_cache()
    )


def _cache() -> BuildCache | None:
    """The build cache (:func:`graph.cache.default_cache`), its variables'
    mistakes told as the command's error."""
    try:
        return default_cache()
    except ValueError as error:
        raise CareerGraphError(str(error)) from None


def _tell_skipped(args: argparse.Namespace, skipped: list[SkippedRow]) -> None:
    """List the rows lenient loading left out on stderr (stdout stays the
    command's answer), and write them to ``--skipped-out``."""
    if args.skipped_out is not None:
        args.skipped_out.write_text(safe_csv(skipped_frame(skipped)), encoding="utf-8")
    if skipped:
        lines = [f"Left out {len(skipped)} row(s) with errors:"]
        lines += [f"  {s.file}, row {s.row}: {s.reasons}" for s in skipped]
        print(terminal_safe("\n".join(lines)), file=sys.stderr)


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("format", choices=("onet",), help="what the files are")
    parser.add_argument("folder", type=Path, help="the release's files")
    parser.add_argument("--out", type=Path, required=True, help="data folder to write")


def _import(args: argparse.Namespace, G: None) -> None:
    result = import_onet(args.folder, args.out)
    load_graph(args.out)  # what was written must load: a bad release fails here
    _emit(
        args,
        {"written": str(args.out), **asdict(result)},
        f"Wrote {result.roles} roles, {result.relations} relations and "
        f"{result.levels} levels to {args.out} ({result.skipped_without_zone} "
        "occupations without a Job Zone left out)",
    )


def _workspace(args: argparse.Namespace, G: None) -> None:
    workspace_cli.run(args, _emit)


def _path_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="id, title or alias")
    parser.add_argument("target", help="id, title or alias")
    parser.add_argument(
        "-k", type=_at_least(1), default=5, help="how many paths (default 5)"
    )
    parser.add_argument(
        "--allow-step-down",
        action="store_true",
        help="let a path to a more senior role step down a level on the way",
    )
    parser.add_argument(
        "--max-moves",
        type=_between(1, MAX_MOVES_LIMIT),
        default=MAX_PATH_MOVES,
        metavar="N",
        help=f"look for paths of at most N moves (default {MAX_PATH_MOVES})",
    )


def _compare_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", help="id, title or alias")
    parser.add_argument("b", help="id, title or alias")


def _name_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="id, title or alias")


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    parser.add_argument("--out", type=Path, required=True, help="file to write")


def _synth_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--roles",
        type=_at_least(MIN_ROLES),
        required=True,
        help=f"how many roles (at least {MIN_ROLES})",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    parser.add_argument("--seed", type=int, default=7)


def _fail(args: argparse.Namespace, message: str, **details: object) -> int:
    if args.json:
        print(json.dumps({"ok": False, "error": message, **details}), file=sys.stderr)
    else:
        print(terminal_safe(message), file=sys.stderr)
    return 1


def _synth(args: argparse.Namespace, G: None) -> None:
    roles, edges = write_catalogue(args.roles, args.out, args.seed)
    _emit(
        args,
        {"roles": roles, "relations": edges, "out": str(args.out)},
        f"Wrote {roles} roles and {edges} relations to {args.out}",
    )


def _validate(args: argparse.Namespace, G: nx.MultiDiGraph) -> None:
    relations = sum(relation_counts(G).values())  # counted when built
    text = f"{args.data}: {len(G):,} roles, {relations:,} relations\n"
    _emit(
        args,
        {"ok": True, "problems": args.report.to_dicts()},
        text + args.report.summary(),
    )


def _chain(args: argparse.Namespace, G: nx.MultiDiGraph) -> None:
    chain = reporting_chain(G, find_role(G, args.name))
    # the indent stops growing, so a line 100,000 roles deep prints in
    # linear, not quadratic, space
    lines = [
        f"{'  ' * min(depth, _MAX_CHAIN_INDENT)}{role_title(G, role)}"
        for depth, role in enumerate(reversed(chain))
    ]
    if len(chain) > _MAX_CHAIN_INDENT:
        lines.append(
            f"({len(chain)} levels, indented to the first {_MAX_CHAIN_INDENT})"
        )
    _emit(args, {"chain": chain}, "\n".join(lines))


_MAX_CHAIN_INDENT = 12


def _export(args: argparse.Namespace, G: nx.MultiDiGraph) -> None:
    path = export_graph(G, args.format, args.out)
    _emit(args, {"written": str(path)}, f"Wrote {path} ({args.format})")


def _emit(args: argparse.Namespace, data: dict, text: str) -> None:
    print(json.dumps(data, indent=2, default=str) if args.json else terminal_safe(text))


#: Characters a terminal would act on rather than show: C0 and C1 controls
#: (ANSI escapes start with one) but newline and tab, and bidi overrides that
#: reorder what follows.
_TERMINAL_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def terminal_safe(text: str) -> str:
    r"""``text`` with every character a terminal would act on written as its
    escape, so data can colour, move or clear nothing.

    Examples
    --------
    >>> print(terminal_safe("Ops \x1b[31mManager\x1b[0m, line\nnext"))
    Ops \x1b[31mManager\x1b[0m, line
    next
    """
    return _TERMINAL_CONTROLS.sub(
        lambda match: match.group().encode("unicode_escape").decode("ascii"), text
    )


def _role(args: argparse.Namespace, G: nx.MultiDiGraph) -> None:
    role = find_role(G, args.name)
    data = dict(G.nodes[role])
    moves = next_moves(G, role)
    sources = previous_roles(G, role)
    lines = [
        f"{data['title']} ({role})",
        f"  Family: {data['family']}, {level_label(G, data['level'])}",
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


def _path(args: argparse.Namespace, G: nx.MultiDiGraph) -> None:
    source, target = find_role(G, args.source), find_role(G, args.target)
    paths = career_paths(
        G,
        source,
        target,
        k=args.k,
        allow_step_down=args.allow_step_down,
        max_moves=args.max_moves,
    )
    if not paths:
        needed = fewest_moves(G, source, target, allow_step_down=args.allow_step_down)
        ends = f"from {role_title(G, source)} to {role_title(G, target)}"
        if needed is not None:
            text = (
                f"No career path {ends} within {args.max_moves} moves: the "
                f"shortest takes {needed}. Raise the limit with --max-moves {needed}."
            )
            near = []
        else:
            near = nearest_reachable(G, source, target)
            text = f"No career path {ends}." + (
                f" Closest reachable: {_titles(G, near)}." if near else ""
            )
        data = {"paths": [], "fewest_moves": needed, "nearest_reachable": near}
        _emit(args, data, text)
        return
    lines = []
    for number, path in enumerate(paths, start=1):
        lines.append(option_heading(number, path))
        for step in path.steps:
            arrow = RELATION_TYPES[step.type].short_label
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


def _compare(args: argparse.Namespace, G: nx.MultiDiGraph) -> None:
    a, b = find_role(G, args.a), find_role(G, args.b)
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


_COMMANDS = (
    _Command("validate", "check the data", _validate),
    _Command("role", "show one role", _role, _name_argument),
    _Command("path", "career paths from A to B", _path, _path_arguments),
    _Command("compare", "compare A and B", _compare, _compare_arguments),
    _Command("chain", "chain of command", _chain, _name_argument),
    _Command("export", "write the graph", _export, _export_arguments),
    _Command(
        "import",
        "convert another catalogue's files (O*NET)",
        _import,
        _import_arguments,
        loads_data=False,
    ),
    _Command(
        "workspace",
        "saved catalogues and their versions",
        _workspace,
        workspace_cli.add_arguments,
        loads_data=False,
    ),
    *(
        _Command(name, help_text, partial(run, emit=_emit), arguments)
        for name, help_text, run, arguments in (
            (
                "people",
                "import or list people",
                people_cli.run_people,
                people_cli.people_arguments,
            ),
            (
                "readiness",
                "how ready a person is for a role",
                people_cli.run_readiness,
                people_cli.readiness_arguments,
            ),
            (
                "suggest",
                "roles a person is closest to",
                people_cli.run_suggest,
                people_cli.suggest_arguments,
            ),
            (
                "succession",
                "who could step into a role",
                people_cli.run_succession,
                people_cli.succession_arguments,
            ),
            (
                "plan",
                "export a person's development plan",
                people_cli.run_plan,
                people_cli.plan_arguments,
            ),
        )
    ),
    _Command(
        "synth",
        "write a synthetic catalogue",
        _synth,
        _synth_arguments,
        loads_data=False,
    ),
)
#: The subcommands of ``python -m graph``.
COMMANDS = tuple(command.name for command in _COMMANDS)
