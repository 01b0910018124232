"""The workspace on SQLite and on a real PostgreSQL server: versions, diffs,
restores, conflicts, crashes and migrations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import zlib

import pytest
from sqlalchemy import create_engine, text

from graph import InvalidData, load_sources
from graph.workspace import (
    DB_ENV,
    CatalogueExists,
    CatalogueNotFound,
    VersionConflict,
    VersionNotFound,
    WorkspaceError,
    open_workspace,
    workspace_at,
)
from graph.workspace.database import HEAD_REVISION, head_revision
from graph.workspace.store import content_hash
from tests.conftest import REPO

ROLES = (
    b"id,title,family,level,skills\n"
    b"clerk,Clerk,Ops,1,Typing\n"
    b"lead,Team Lead,Ops,2,Typing;Coaching\n"
    b"boss,Manager,Ops,3,Budgeting\n"
)
EDGES = (
    b"source,target,type,note\n"
    b"clerk,lead,promotion,\n"
    b"lead,boss,promotion,\n"
    b"clerk,boss,reports_to,\n"
)


def edited(roles: bytes, old: str, new: str) -> bytes:
    assert old.encode() in roles
    return roles.replace(old.encode(), new.encode())


def test_a_catalogue_edited_twice_and_restored_once_keeps_every_version(
    workspace_url,
):
    ws = open_workspace(workspace_url)
    first = ws.save("Ops ladder", ROLES, EDGES, note="upload")
    second_roles = edited(ROLES, "Team Lead", "Shift Lead")
    second = ws.save("Ops ladder", second_roles, EDGES, note="rename", based_on=1)
    third_roles = second_roles + b"planner,Planner,Ops,2,\n"
    third = ws.save("Ops ladder", third_roles, EDGES, note="add", based_on=2)
    restored = ws.restore("Ops ladder", 1, based_on=3)
    assert [v.number for v in (first, second, third, restored)] == [1, 2, 3, 4]
    # Reopened from scratch, as after a reload or a restart:
    again = open_workspace(workspace_url)
    versions = again.versions("Ops ladder")
    assert [v.note for v in versions] == [
        "upload",
        "rename",
        "add",
        "Restored version 1",
    ]
    assert [v.based_on for v in versions] == [None, 1, 2, 3]
    assert versions[-1].restored_from == 1
    assert again.load("Ops ladder").roles_csv == ROLES  # the restore is v1's content
    assert again.load("Ops ladder", 3).roles_csv == third_roles
    assert versions[1].change_counts["roles_changed"] == 1
    assert versions[1].changes_text == "1 role changed"
    assert versions[2].changes_text == "1 role added"
    assert versions[3].changes_text == "1 role removed, 1 changed"
    (info,) = again.catalogues()
    assert (info.name, info.latest.number, info.version_count) == ("Ops ladder", 4, 4)


def test_diff_names_roles_relations_and_fields(workspace_url):
    ws = open_workspace(workspace_url)
    ws.save("c", ROLES, EDGES)
    roles = edited(ROLES, "Budgeting", "Budgeting;Hiring") + b"hr,HR Partner,HR,2,\n"
    edges = edited(EDGES, "lead,boss,promotion,", "lead,boss,promotion,Usual step")
    edges = edited(edges, "clerk,boss,reports_to,\n", "")
    ws.save("c", roles, edges, based_on=1)
    changes = ws.diff("c", 1, 2)
    assert changes.roles_added == ("hr",)
    assert changes.roles_changed == {"boss": ("skills",)}
    assert changes.relations_removed == (("clerk", "boss", "reports_to"),)
    assert changes.relations_changed == {("lead", "boss", "promotion"): ("note",)}
    assert ws.diff("c", 2, 2).empty


def test_an_apply_based_on_an_older_version_is_refused(workspace_url):
    ws = open_workspace(workspace_url)
    ws.save("c", ROLES, EDGES)
    ws.save("c", edited(ROLES, "Clerk,", "Office Clerk,"), EDGES, based_on=1, note="A")
    other_session = open_workspace(workspace_url)
    with pytest.raises(VersionConflict, match="changed since version 1") as caught:
        other_session.save("c", edited(ROLES, "Manager", "Boss"), EDGES, based_on=1)
    assert caught.value.latest.number == 2 and caught.value.latest.note == "A"
    assert [v.number for v in ws.versions("c")] == [1, 2]
    assert b"Office Clerk" in ws.load("c").roles_csv


def test_two_concurrent_applies_on_one_version_save_exactly_one(workspace_url):
    open_workspace(workspace_url).save("c", ROLES, EDGES)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def apply(title: str) -> None:
        ws = open_workspace(workspace_url)
        start.wait()
        try:
            ws.save("c", edited(ROLES, "Manager", title), EDGES, based_on=1)
            outcomes.append("saved")
        except VersionConflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=apply, args=(t,)) for t in ("Boss", "Head")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert [v.number for v in open_workspace(workspace_url).versions("c")] == [1, 2]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        # a name that is taken
        (lambda ws: ws.save("c", ROLES, EDGES), CatalogueExists, "exists already"),
        # a catalogue that is not there
        (
            lambda ws: ws.versions("nope"),
            CatalogueNotFound,
            "No saved catalogue 'nope'",
        ),
        # a version that is not there
        (lambda ws: ws.load("c", 9), VersionNotFound, "has no version 9"),
        # invalid data: nothing is written
        (
            lambda ws: ws.save("c", ROLES + b"x,X,Ops,high,\n", EDGES, based_on=1),
            InvalidData,
            "not a whole number",
        ),
        # an empty name
        (lambda ws: ws.save("  ", ROLES, EDGES), WorkspaceError, "needs a name"),
    ],
)
def test_refusals_write_nothing(workspace_url, call, error, message):
    ws = open_workspace(workspace_url)
    ws.save("c", ROLES, EDGES)
    with pytest.raises(error, match=message):
        call(ws)
    assert [c.name for c in ws.catalogues()] == ["c"]
    assert [v.number for v in ws.versions("c")] == [1]


def test_deleting_a_catalogue_deletes_its_versions(workspace_url):
    ws = open_workspace(workspace_url)
    ws.save("c", ROLES, EDGES)
    ws.save("c", ROLES, EDGES, based_on=1)
    ws.save("keep", ROLES, EDGES)
    assert ws.delete("c") == 2
    assert [c.name for c in ws.catalogues()] == ["keep"]
    with ws.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM versions")).scalar() == 1


def test_a_fresh_database_is_migrated_and_an_old_one_says_what_to_run(workspace_url):
    with pytest.raises(WorkspaceError, match="python -m graph workspace upgrade"):
        open_workspace(workspace_url, upgrade=False)
    ws = open_workspace(workspace_url)
    assert ws.schema_revision() == ws.head_revision() is not None
    open_workspace(workspace_url, upgrade=False)  # at head: no error


def test_schema_revisions_read_without_alembic_agree_with_alembic(workspace_url):
    # The app opens a workspace without importing Alembic; Alembic's public
    # API is the reference.
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    def alembic_revision(engine):
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    migrations = REPO / "graph" / "workspace" / "migrations"
    assert ScriptDirectory(str(migrations)).get_current_head() == HEAD_REVISION, (
        "a new migration: set HEAD_REVISION in graph/workspace/database.py"
    )
    empty = workspace_at(workspace_url)
    assert empty.schema_revision() is alembic_revision(empty.engine) is None
    ws = open_workspace(workspace_url)
    assert ws.schema_revision() == alembic_revision(ws.engine) == head_revision()


def test_saved_versions_load_as_the_same_catalogue(workspace_url):
    ws = open_workspace(workspace_url)
    ws.save("c", ROLES, EDGES)
    saved = ws.load("c")
    G, _ = load_sources(saved.roles_csv, saved.edges_csv)
    H, _ = load_sources(ROLES, EDGES)
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert sorted(G.edges(keys=True)) == sorted(H.edges(keys=True))


_WRITER = """
import sys
from graph.synth import synthesise
from graph.workspace import open_workspace
import csv, io

def csv_bytes(rows, header):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()

roles, edges = synthesise(int(sys.argv[2]))
header = list(roles[0])
contents = []
for flip in (0, 1):
    rows = [[r[c] for c in header] for r in roles]
    for row in rows[flip::2]:
        row[1] = row[1] + " (revised)"
    edge_csv = csv_bytes(edges, ["source", "target", "type"])
    contents.append((csv_bytes(rows, header), edge_csv))
ws = open_workspace(sys.argv[1])
latest = ws.versions("big")[-1].number
while True:
    print(f"begin {latest + 1}", flush=True)
    info = ws.save("big", *contents[latest % 2], based_on=latest, note="loop")
    latest = info.number
    print(f"saved {latest}", flush=True)
"""


# The writer applies new versions back to back (validation, the diff against
# the previous version, compression, the write; about 0.3 s each here), so a
# kill at any moment lands inside an apply, at a different point each time.
@pytest.mark.parametrize("delay_s", [0.0, 0.15, 0.4])
def test_a_process_killed_during_an_apply_leaves_the_last_version_whole(
    workspace_url, tmp_path, delay_s
):
    from graph.synth import write_catalogue

    write_catalogue(5_000, tmp_path / "data")
    roles = (tmp_path / "data" / "roles.csv").read_bytes()
    edges = (tmp_path / "data" / "edges.csv").read_bytes()
    open_workspace(workspace_url).save("big", roles, edges, note="start")
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, workspace_url, "5000"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    seen = []
    for line in writer.stdout:
        seen.append(line.strip())
        if line.startswith("begin 3"):
            break
    # Somewhere inside the third apply: validating, comparing or writing.
    time.sleep(delay_s)
    writer.kill()  # SIGKILL: no cleanup, no rollback by the process
    writer.wait()
    assert "saved 2" in seen
    ws = open_workspace(workspace_url)
    versions = ws.versions("big")
    assert [v.number for v in versions] == list(range(1, len(versions) + 1))
    assert len(versions) >= 2
    for version in versions:
        saved = ws.load("big", version.number)
        assert saved.info.content_hash == content_hash(saved.roles_csv, saved.edges_csv)
    G, _ = load_sources(saved.roles_csv, saved.edges_csv)  # the newest loads whole
    assert len(G) == versions[-1].role_count == 5_000
    if workspace_url.startswith("sqlite"):
        engine = create_engine(workspace_url)
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    # and the workspace takes the next apply
    assert (
        ws.save("big", roles, edges, based_on=len(versions)).number == len(versions) + 1
    )


def test_default_database_follows_the_environment(monkeypatch, tmp_path):
    from graph.workspace import default_db_url

    monkeypatch.setenv(DB_ENV, "sqlite:///elsewhere.sqlite")
    assert default_db_url() == "sqlite:///elsewhere.sqlite"
    monkeypatch.delenv(DB_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_url() == f"sqlite:///{tmp_path}/career-graph/workspace.sqlite"
    assert open_workspace().display_name == "workspace.sqlite (SQLite)"


def test_display_name_hides_credentials_and_paths(postgres_server):
    ws = open_workspace(postgres_server.replace("postgres@", "postgres:secret@"))
    assert ws.display_name.endswith("(PostgreSQL)")
    assert "secret" not in ws.display_name
    assert json.dumps(ws.display_name)


def test_a_version_changed_outside_the_program_is_refused(workspace_url):
    ws = open_workspace(workspace_url)
    ws.save("c", ROLES, EDGES)
    tampered = zlib.compress(edited(ROLES, "Manager", "Intruder"))
    with ws.engine.begin() as connection:
        connection.execute(text("UPDATE versions SET roles_csv = :r"), {"r": tampered})
    with pytest.raises(WorkspaceError, match="does not match its checksum"):
        ws.load("c")


def test_warnings_are_kept_with_the_version(workspace_url):
    ws = open_workspace(workspace_url)
    roles = ROLES + b"boss2,Manager,Ops,1,\n"  # a repeated title: a warning
    ws.save("c", roles, EDGES)
    G, report = ws.load("c").load()
    assert len(G) == 4
    assert [w.message for w in report.warnings] == [
        "title 'Manager' is also used on row 4"
    ]


def test_listing_reads_no_files(workspace_url):
    from sqlalchemy import event

    ws = open_workspace(workspace_url)
    ws.save("c", ROLES, EDGES)
    statements: list[str] = []
    event.listen(ws.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    ws.catalogues()
    ws.versions("c")
    assert statements and not any("roles_csv" in s for s in statements)
    ws.load("c")
    assert any("roles_csv" in s for s in statements)
