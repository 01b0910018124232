"""The bundled data set validates and states what the two articles say."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from graph import career_paths, find_role, managers, next_moves, reporting_chain
from graph.schema import DIMENSIONS
from tests.conftest import BUNDLED_DATA, REPO

SEEDS = REPO.parent / "shared" / "seeds"


def test_bundled_data_is_clean(bundled):
    G, report = bundled
    assert report.problems == []
    assert len(G) == 13


@pytest.mark.parametrize(
    "title",
    [
        "Operations Assistant",
        "Operations Coordinator",
        "Operations Lead",
        "Team Leader",
        "Operations Manager",
        "Director of Operations",
        "Chief Operating Officer",
        "Chief Executive Officer",
        "Logistics Manager",
        "Supply Chain Manager",
        "Warehouse Manager",
        "Business Manager",
        "General Manager",
    ],
)
def test_every_role_the_articles_name(bundled, title):
    G, _ = bundled
    role = find_role(G, title)
    assert G.nodes[role]["title"] == title
    assert G.nodes[role].get("source"), "every role cites its article"


def test_assistant_and_manager_fill_the_first_articles_dimensions(bundled):
    G, _ = bundled
    # 15 dimensions: role and responsibility (summary, responsibilities),
    # experience and education, and the comparison columns.
    needed = [
        "summary",
        "responsibilities",
        "experience",
        "education",
        "skills",
        *[d for d in DIMENSIONS if d != "budget_oversight"],
    ]
    for role in ("operations-assistant", "operations-manager"):
        missing = [c for c in needed if not G.nodes[role].get(c)]
        assert missing == [], role


def test_lead_and_manager_fill_the_second_articles_dimensions(bundled):
    G, _ = bundled
    needed = [
        "scope",
        "decision_authority",
        "team_management",
        "budget_oversight",
        "strategic_involvement",
        "skills",
        "reporting",
        "compensation",
        "interactions",
        "education",
    ]
    for role in ("operations-lead", "operations-manager"):
        assert [c for c in needed if not G.nodes[role].get(c)] == [], role


def test_manager_responsibility_areas(bundled):
    G, _ = bundled
    areas = G.nodes["operations-manager"]["responsibilities"]
    assert len(areas) == 15
    assert "Crisis management" in areas and "Vendor management" in areas


def test_ladder_and_reporting_lines(bundled):
    G, _ = bundled
    paths = career_paths(G, "operations-assistant", "chief-operating-officer", k=5)
    routes = [p.roles for p in paths]
    assert (
        "operations-assistant",
        "operations-coordinator",
        "operations-manager",
        "director-of-operations",
        "chief-operating-officer",
    ) in routes
    assert (
        "operations-assistant",
        "operations-manager",
        "chief-operating-officer",
    ) == routes[0]
    assert "operations-manager" in [m.role for m in next_moves(G, "operations-lead")]
    assert managers(G, "operations-assistant") == ["operations-manager"]
    assert managers(G, "operations-lead") == ["operations-manager"]
    assert managers(G, "operations-manager") == [
        "chief-operating-officer",
        "chief-executive-officer",
    ]
    assert reporting_chain(G, "operations-lead")[-1] == "chief-executive-officer"


#: Columns that hold ids, numbers of the contract or citations, not prose.
_STRUCTURAL = {"id", "level", "source", "target", "type", "reference", "evidence"}
#: A figure: an amount, a percentage or any number written with digits.
_FIGURE = re.compile(r"[$€£]\s?\d[\d,.]*|\d[\d,.]*\s?%|\d[\d,.]*")


@pytest.fixture(scope="module")
def seed_text() -> str:
    """The two articles, which live beside the repository (``../shared``); a
    missing folder fails the tests that need it, never skips them."""
    if not SEEDS.is_dir():
        pytest.fail(f"the seed articles are expected in {SEEDS}")
    return " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))


def test_every_figure_is_cited_and_comes_from_the_articles(seed_text):
    seeds = seed_text
    for name in ("roles.csv", "edges.csv"):
        with open(BUNDLED_DATA / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                cited = row.get("source") if name == "roles.csv" else row["reference"]
                for column, text in row.items():
                    if column in _STRUCTURAL:
                        continue
                    for figure in _FIGURE.findall(text):
                        assert cited, (name, row["id" if "id" in row else "source"])
                        assert figure.strip() in seeds, (name, column, figure)


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("earns $50,000 a year", ["$50,000"]),  # an amount
        ("about 20 % more", ["20 %"]),  # a percentage
        ("after 3 years", ["3"]),  # a bare number
        ("a two-year associate degree", []),  # numbers in words are not figures
    ],
)
def test_figure_detector(text, figures):
    assert _FIGURE.findall(text) == figures


def test_no_sentence_copied_from_the_articles(seed_text):
    words = re.findall(r"[a-z']+", seed_text.lower())
    seed_runs = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
    for name in ("roles.csv", "edges.csv"):
        for row in csv.DictReader(Path(BUNDLED_DATA / name).open(encoding="utf-8")):
            for column, value in row.items():
                if column in ("source", "reference"):
                    continue
                ours = re.findall(r"[a-z']+", value.lower())
                runs = {" ".join(ours[i : i + 8]) for i in range(len(ours) - 7)}
                assert not runs & seed_runs, (name, column, runs & seed_runs)
