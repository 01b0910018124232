"""``python -m graph workspace ...``: the workspace from the command line.

    list | import DIR --name N | export NAME[@VERSION] --out DIR |
    versions NAME | diff NAME V1 V2 | restore NAME VERSION |
    delete NAME --yes | upgrade

Each takes ``--db URL`` (default: ``$CAREER_GRAPH_DB`` or the SQLite file in
the user's data folder) and ``--json``. Errors are raised as
:class:`graph.CareerGraphError` and reported by :func:`graph.cli.main`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from graph.loading import read_folder
from graph.schema import EDGES_FILE, ROLES_FILE
from graph.workspace import (
    SavedVersion,
    VersionInfo,
    Workspace,
    WorkspaceError,
    open_workspace,
    workspace_at,
)

__all__ = ["add_db_argument", "add_arguments", "run", "parse_reference", "load_saved"]

Emit = Callable[[argparse.Namespace, object, str], None]


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=None,
        help="workspace database URL (default: $CAREER_GRAPH_DB or the SQLite "
        "file in your data folder)",
    )


def parse_reference(text: str) -> tuple[str, int | None]:
    """``NAME`` or ``NAME@VERSION`` -> (name, version or None).

    Examples
    --------
    >>> parse_reference("Ops roles@3"), parse_reference("a@b")
    (('Ops roles', 3), ('a@b', None))
    """
    name, at, version = text.rpartition("@")
    if at and version.isdigit():
        return name, int(version)
    return text, None


def load_saved(db: str | None, reference: str) -> SavedVersion:
    """The saved version a ``NAME[@VERSION]`` reference names."""
    name, version = parse_reference(reference)
    return open_workspace(db).load(name, version)


def _version_data(info: VersionInfo) -> dict:
    return {
        "catalogue": info.catalogue,
        "version": info.number,
        "saved_at": info.created_at.isoformat(timespec="seconds") + "Z",
        "note": info.note,
        "based_on": info.based_on,
        "restored_from": info.restored_from,
        "roles": info.role_count,
        "relations": info.relation_count,
        "changes": info.change_counts,
    }


def _version_line(info: VersionInfo) -> str:
    when = info.created_at.strftime("%Y-%m-%d %H:%M")
    note = f"  {info.note}" if info.note else ""
    return f"  v{info.number}  {when}  {info.changes_text}{note}"


def _list(ws: Workspace, args: argparse.Namespace, emit: Emit) -> None:
    catalogues = ws.catalogues()
    lines = [f"Workspace {ws.display_name}: {len(catalogues)} catalogue(s)"] + [
        f"  {c.name}: version {c.latest.number} of {c.version_count}, "
        f"{c.latest.role_count} roles, {c.latest.relation_count} relations"
        for c in catalogues
    ]
    data = [
        {"name": c.name, "versions": c.version_count, **_version_data(c.latest)}
        for c in catalogues
    ]
    emit(args, {"workspace": ws.display_name, "catalogues": data}, "\n".join(lines))


def _import(ws: Workspace, args: argparse.Namespace, emit: Emit) -> None:
    roles, edges = read_folder(args.folder)
    existing = {c.name: c.latest.number for c in ws.catalogues()}
    info = ws.save(
        args.name,
        roles,
        edges,
        note=args.note or f"Imported from {Path(args.folder).name}",
        based_on=existing.get(" ".join(args.name.split())),
    )
    emit(
        args,
        _version_data(info),
        f"Saved {info.catalogue!r} version {info.number}: {info.changes_text}",
    )


def _export(ws: Workspace, args: argparse.Namespace, emit: Emit) -> None:
    name, version = parse_reference(args.reference)
    saved = ws.load(name, version)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / ROLES_FILE).write_bytes(saved.roles_csv)
    (out / EDGES_FILE).write_bytes(saved.edges_csv)
    emit(
        args,
        {**_version_data(saved.info), "written": str(out)},
        f"Wrote {name!r} version {saved.info.number} to {out}",
    )


def _versions(ws: Workspace, args: argparse.Namespace, emit: Emit) -> None:
    versions = ws.versions(args.name)
    lines = [f"{args.name}: {len(versions)} version(s)"]
    lines += [_version_line(v) for v in versions]
    emit(args, {"versions": [_version_data(v) for v in versions]}, "\n".join(lines))


def _diff(ws: Workspace, args: argparse.Namespace, emit: Emit) -> None:
    changes = ws.diff(args.name, args.old, args.new)
    data = changes.to_dict()
    lines = [f"{args.name}: version {args.old} -> {args.new}"]
    for key in ("roles_added", "roles_removed"):
        lines += [f"  {key.replace('_', ' ')}: {role}" for role in data[key]]
    lines += [
        f"  role changed: {role} ({', '.join(fields)})"
        for role, fields in changes.roles_changed.items()
    ]
    for key in ("relations_added", "relations_removed"):
        lines += [f"  {key.replace('_', ' ')}: {' '.join(r)}" for r in data[key]]
    lines += [
        f"  relation changed: {' '.join(r)} ({', '.join(fields)})"
        for r, fields in changes.relations_changed.items()
    ]
    if changes.empty:
        lines.append("  no differences")
    emit(args, data, "\n".join(lines))


def _restore(ws: Workspace, args: argparse.Namespace, emit: Emit) -> None:
    latest = ws.versions(args.name)[-1].number
    info = ws.restore(args.name, args.version, based_on=latest)
    emit(
        args,
        _version_data(info),
        f"Version {args.version} of {args.name!r} is now version {info.number}",
    )


def _delete(ws: Workspace, args: argparse.Namespace, emit: Emit) -> None:
    if not args.yes:
        count = len(ws.versions(args.name))
        raise WorkspaceError(
            f"Deleting {args.name!r} removes its {count} version(s) for good; "
            "add --yes to go ahead."
        )
    count = ws.delete(args.name)
    emit(args, {"deleted": args.name, "versions": count}, f"Deleted {args.name!r}")


def _upgrade(ws: Workspace, args: argparse.Namespace, emit: Emit) -> None:
    before = ws.schema_revision()
    ws.upgrade()
    after = ws.schema_revision()
    emit(
        args,
        {"workspace": ws.display_name, "from": before, "to": after},
        f"Workspace {ws.display_name} is at schema {after} (was {before})",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``workspace`` subcommands, each with ``--db`` and ``--json``."""
    actions = parser.add_subparsers(dest="action", required=True)

    def action(name: str, help_text: str, run_action) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text)
        add_db_argument(sub)
        sub.add_argument("--json", action="store_true", help="print JSON")
        sub.set_defaults(run_action=run_action)
        return sub

    action("list", "saved catalogues", _list)
    imported = action("import", "save a data folder as a catalogue version", _import)
    imported.add_argument("folder", type=Path)
    imported.add_argument("--name", required=True, help="catalogue name")
    imported.add_argument("--note", default="", help="what this version is")
    exported = action("export", "write a version's roles.csv and edges.csv", _export)
    exported.add_argument("reference", metavar="NAME[@VERSION]")
    exported.add_argument("--out", type=Path, required=True, help="folder to write")
    action("versions", "a catalogue's versions", _versions).add_argument("name")
    diff = action("diff", "what changed between two versions", _diff)
    diff.add_argument("name")
    diff.add_argument("old", type=int)
    diff.add_argument("new", type=int)
    restore = action("restore", "make an old version the newest again", _restore)
    restore.add_argument("name")
    restore.add_argument("version", type=int)
    delete = action("delete", "delete a catalogue and its versions", _delete)
    delete.add_argument("name")
    delete.add_argument("--yes", action="store_true", help="really delete")
    action("upgrade", "migrate the workspace to this release's schema", _upgrade)


def run(args: argparse.Namespace, emit: Emit) -> None:
    """Run the chosen workspace subcommand."""
    # upgrade reports the schema before and after, so it opens without one
    opened = (
        workspace_at(args.db) if args.action == "upgrade" else open_workspace(args.db)
    )
    args.run_action(opened, args, emit)
