"""Shared fixtures: small hand-built graphs and data folders."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import settings

from graph import load_graph, make_graph
from graph.schema import BUNDLED_DATA

REPO = Path(__file__).resolve().parent.parent

# CI runs the same examples every time, so a submission's result does not
# depend on luck; local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The app and the command line keep built catalogues in a cache folder: the
# suite's own, never the user's (subprocesses inherit it), removed at exit
# (after the cache's background writes, which Python waits for first).
_CACHE = tempfile.mkdtemp(prefix="career-graph-cache-")
os.environ["CAREER_GRAPH_CACHE"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

ROLES_HEADER = "id,title,family,level"
EDGES_HEADER = "source,target,type"


@pytest.fixture
def ladder():
    """clerk -> senior clerk -> manager -> director, with reporting lines and a
    lateral move to a planner; skills on clerk and manager."""
    return make_graph(
        [
            {
                "id": "clerk",
                "title": "Clerk",
                "family": "Ops",
                "level": 1,
                "skills": "Typing;Filing",
                "aliases": "Ops Clerk",
            },
            {
                "id": "senior-clerk",
                "title": "Senior Clerk",
                "family": "Ops",
                "level": 2,
                "skills": "Typing;Coaching",
            },
            {
                "id": "manager",
                "title": "Manager",
                "family": "Ops",
                "level": 3,
                "skills": "Filing;Budgeting;Leadership",
                "scope": "Whole office",
            },
            {"id": "planner", "title": "Planner", "family": "Planning", "level": 3},
            {"id": "director", "title": "Director", "family": "Exec", "level": 4},
        ],
        [
            ("clerk", "senior-clerk", "promotion"),
            ("senior-clerk", "manager", "promotion"),
            ("clerk", "manager", "promotion"),
            ("manager", "director", "promotion"),
            ("manager", "planner", "lateral"),
            ("planner", "director", "promotion"),
            ("clerk", "manager", "reports_to"),
            ("senior-clerk", "manager", "reports_to"),
            ("manager", "director", "reports_to"),
            ("planner", "director", "reports_to"),
        ],
    )


@pytest.fixture(scope="session")
def bundled():
    """The bundled data set, loaded once."""
    G, report = load_graph(BUNDLED_DATA)
    return G, report


@pytest.fixture(scope="session")
def onet_graph():
    """The bundled O*NET catalogue (923 real occupations), loaded once."""
    G, _ = load_graph(BUNDLED_DATA / "onet")
    return G


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the bundled data folder."""
    folder = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, folder)
    return folder


def write_data(folder: Path, roles: str, edges: str) -> Path:
    """Write roles.csv and edges.csv (text as given) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roles.csv").write_text(roles, encoding="utf-8")
    (folder / "edges.csv").write_text(edges, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL cluster for the whole run
    (see ``graph.workspace.throwaway``)."""
    from graph.workspace.throwaway import postgres_cluster

    with postgres_cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def workspace_url(request, tmp_path):
    """An empty workspace database: a SQLite file, or a new PostgreSQL database
    on the throwaway cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    from graph.workspace.throwaway import create_database

    server = request.getfixturevalue("postgres_server")
    return create_database(server, f"ws_{uuid.uuid4().hex[:12]}")
