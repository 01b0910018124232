"""Planning a person: readiness, suggestions, paths, succession, plans and
their storage and exports, on small hand-made cases and the bundled data."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from datetime import date

import pytest

from graph import load_graph, make_graph
from graph.errors import InvalidData
from graph.people import (
    Person,
    bench_strength,
    paths_for_person,
    readiness,
    skill_overlap,
    successors,
    suggest_roles,
)
from graph.plans import Action, PlanError, export_plan, plan_from_path
from graph.roster import read_people
from graph.workspace import PersonConflict, PersonExists, PlanConflict, open_workspace
from tests.conftest import REPO


@pytest.fixture
def team():
    """clerk (1) -> senior (2) -> lead (3), and clerk -> analyst (2) -> lead;
    "Team leadership" is "Leadership" in the vocabulary."""
    G = make_graph(
        [
            {"id": i, "title": t, "family": f, "level": lvl, "skills": s}
            for i, t, f, lvl, s in [
                ("clerk", "Clerk", "Ops", 1, "Filing:2"),
                ("senior", "Senior Clerk", "Ops", 2, "Filing:3;Team leadership:2"),
                ("analyst", "Analyst", "Data", 2, "SQL:3;Statistics:2"),
                ("lead", "Lead", "Ops", 3, "Leadership:4;Budgeting:3;Filing"),
                ("empty", "No Skills", "Ops", 2, ""),
            ]
        ],
        [
            ("clerk", "senior", "promotion"),
            ("senior", "lead", "promotion"),
            ("clerk", "analyst", "lateral"),
            ("analyst", "lead", "promotion"),
            ("clerk", "empty", "lateral"),
        ],
    )
    G.graph["skill_vocabulary"] = {"team leadership": "Leadership"}
    return G


@pytest.mark.parametrize(
    ("ratings", "percent", "explanation"),
    [
        # nothing rated: 0 of 4 + 3 + 1 required levels
        ({}, 0, "meets 0 of 3 skills; Leadership 0 → 4, Budgeting 0 → 3, Filing 0 → 1"),
        # every level met exactly
        ({"Leadership": 4, "Budgeting": 3, "Filing": 1}, 100, "meets 3 of 3 skills"),
        # above the level does not make up for a gap elsewhere: (4 + 1 + 1) / 8
        (
            {"Leadership": 5, "Budgeting": 1, "Filing": 5},
            75,
            "meets 2 of 3 skills; Budgeting 1 → 3",
        ),
        # a synonym counts as the skill; case does not matter: (2 + 3 + 1) / 8
        (
            {"team LEADERSHIP": 2, "budgeting": 3, "filing": 1},
            75,
            "meets 2 of 3 skills; Leadership 2 → 4",
        ),
    ],
)
def test_readiness_formula(team, ratings, percent, explanation):
    ready = readiness(team, Person("Sam", "clerk", ratings), "lead")
    assert (ready.percent, ready.explanation) == (percent, explanation)


def test_a_role_without_skills_has_no_readiness(team):
    ready = readiness(team, Person("Sam", "clerk"), "empty")
    assert ready.percent is None
    assert (
        ready.explanation == "the role lists no skills, so readiness cannot be judged"
    )


def test_suggestions_rank_by_readiness_then_moves_with_filters(team):
    sam = Person("Sam", "clerk", {"Filing": 3, "SQL": 3, "Statistics": 1})
    ranked = [(s.role, s.readiness.percent, s.moves) for s in suggest_roles(team, sam)]
    # the role without skills is left out: no readiness to rank it by
    assert ranked == [("analyst", 80, 1), ("senior", 60, 1), ("lead", 12, 2)]
    only_ops = suggest_roles(team, sam, families=["Ops"])
    assert [s.role for s in only_ops] == ["senior", "lead"]
    assert [s.role for s in suggest_roles(team, sam, levels=(3, 3))] == ["lead"]


def test_paths_for_a_person_prefer_steps_that_build_the_target_skills(team):
    sam = Person("Sam", "clerk", {"Filing": 2})
    best, other = paths_for_person(team, sam, "lead", k=2)
    # via the senior clerk, Leadership grows to 2 on the way: less left at the end
    assert best.path.roles == ("clerk", "senior", "lead")
    assert [str(g) for g in best.closes[0]] == ["Leadership 0 → 2", "Filing 2 → 3"]
    assert [str(g) for g in best.remaining] == ["Budgeting 0 → 3", "Leadership 2 → 4"]
    assert best.remaining_levels < other.remaining_levels


def test_succession_bands_and_bench(team):
    people = [
        Person("Ann", "senior", {"Leadership": 4, "Budgeting": 3, "Filing": 3}),
        Person(
            "Bo", "clerk", {"Leadership": 4, "Budgeting": 3}
        ),  # Filing after one move
        Person("Cy", "clerk"),
        Person("Di", "lead"),  # already there: not a successor
        Person("Ed", "elsewhere"),  # a role of another catalogue
    ]
    ranked = [(s.person.name, s.band) for s in successors(team, people, "lead")]
    assert ranked == [("Ann", "ready now"), ("Bo", "ready now"), ("Cy", "later")]
    # one move (to senior) builds Leadership to 2 and Filing to 3: 88% after it
    people[1] = Person("Bo", "clerk", {"Leadership": 3, "Budgeting": 3})
    assert [s.band for s in successors(team, people, "lead")][1] == (
        "ready after one move"
    )
    # from Leadership 1, the same move leaves 75%: later
    people[1] = Person("Bo", "clerk", {"Leadership": 1, "Budgeting": 3})
    assert [s.band for s in successors(team, people, "lead")][2] == "later"
    bench = {row["role"]: row for row in bench_strength(team, people)}
    assert bench["lead"]["ready now"] == 1
    assert bench["analyst"]["ready now"] == 0


def test_skill_overlap_honours_synonyms_and_levels(team):
    overlap = skill_overlap(team, "senior", "lead")
    assert overlap["shared"] == [("Filing", 3, None), ("Leadership", 2, 4)]
    assert overlap["only_b"] == ["Budgeting"]
    assert overlap["percent"] == 67


def test_people_csv_reports_each_problem_with_row_and_column(team):
    text = (
        "name,role,skills,targets\n"
        "Sam,Clerk,Filing:2,Lead\n"
        "sam,Clerk,Filing:x,Nowhere\n"
        ",Nobody,,\n"
    )
    with pytest.raises(InvalidData) as caught:
        read_people(team, text)
    located = [(p.row, p.column) for p in caught.value.report.errors]
    assert located == [
        (3, "name"),
        (3, "targets"),
        (3, "skills"),
        (4, "name"),
        (4, "role"),
    ]


def test_bundled_example_people_are_fictional_and_load(bundled):
    G, _ = bundled
    people = read_people(G, (REPO / "data" / "people.csv").read_bytes())
    assert people and all("(fictional)" in p.name for p in people)
    onet, _ = load_graph(REPO / "data" / "onet")
    onet_people = read_people(
        onet, (REPO / "data" / "onet" / "people.csv").read_bytes()
    )
    assert all("(fictional)" in p.name for p in onet_people)
    casey = onet_people[0]
    assert readiness(onet, casey, casey.targets[0]).gaps


def test_people_and_plans_survive_and_refuse_stale_writes(workspace_url, team):
    book = open_workspace(workspace_url).people
    stored = book.save(Person("Sam", "clerk", {"Filing": 2}, ("lead",)))
    with pytest.raises(PersonExists, match="saved already"):
        book.save(Person("Sam", "senior"))
    book.save(Person("Sam", "senior", {"Filing": 3}), revision=stored.revision)
    with pytest.raises(PersonConflict, match="changed by someone else"):
        book.save(Person("Sam", "clerk"), revision=stored.revision)
    reopened = open_workspace(workspace_url).people.get("Sam")
    assert (reopened.person.role, reopened.revision) == ("senior", 2)

    sam = reopened.person
    plan = plan_from_path(sam, paths_for_person(team, sam, "lead")[0])
    first = book.save_plan(plan)
    actions = (
        Action("Leadership", 4, 0, "Lead the stand-up", "2027-03-01", "in progress"),
        *plan.actions[1:],
    )
    second = book.save_plan(
        type(plan)(
            **{**plan.__dict__, "actions": actions, "notes": "Check in monthly"}
        ),
        plan_id=first.id,
        revision=first.revision,
    )
    with pytest.raises(PlanConflict):
        book.save_plan(plan, plan_id=first.id, revision=first.revision)
    history = book.plan_history(first.id)
    assert [number for number, *_ in history] == [1, 2]
    assert history[0][2].actions[0].action == ""
    saved = open_workspace(workspace_url).people.plans("Sam")
    assert [p.revision for p in saved] == [second.revision]
    assert saved[0].plan.actions[0].due == "2027-03-01"
    assert saved[0].plan.notes == "Check in monthly"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("due", "next spring", "target date: 'next spring' is not a date"),  # free text
        ("status", "stalled", "status: 'stalled' is not one of"),  # unknown status
    ],
)
def test_a_bad_action_is_refused_by_name(tmp_path, team, field, value, message):
    book = open_workspace(f"sqlite:///{tmp_path / 'w.sqlite'}").people
    sam = book.save(Person("Sam", "clerk")).person
    plan = plan_from_path(sam, paths_for_person(team, sam, "lead")[0])
    bad = Action(**{**plan.actions[0].__dict__, field: value})
    with pytest.raises(PlanError, match=f"Action 1 \\(Filing\\), {message}"):
        book.save_plan(type(plan)(**{**plan.__dict__, "actions": (bad,)}))
    assert book.plans("Sam") == []


def test_the_pdf_renders_to_a_page_with_the_plan_text(tmp_path, team):
    if shutil.which("pdftoppm") is None:
        pytest.fail("poppler-utils is not installed: apt-get install poppler-utils")
    sam = Person("Zoë Łukasiewicz", "clerk", {"Filing": 2})
    plan = plan_from_path(sam, paths_for_person(team, sam, "lead")[0])
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(export_plan(team, plan, sam, "pdf", "Test catalogue"))
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1 and pages[0].stat().st_size > 5_000
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Development plan: Zoë Łukasiewicz" in text  # beyond Latin-1
    assert "Towards Lead, from Clerk" in text
    assert "Budgeting" in text and "planned" in text
    assert f"Made {date.today().isoformat()} from Test catalogue" in text


def test_markdown_and_csv_exports_hold_the_plan(team):
    sam = Person("Sam *bold*", "clerk")
    plan = plan_from_path(sam, paths_for_person(team, sam, "lead")[0])
    markdown = export_plan(team, plan, sam, "md", "Test").decode()
    assert markdown.startswith("# Development plan: Sam \\*bold\\*")
    assert "| Leadership | 0 → 2 |" in markdown
    text = export_plan(team, plan, sam, "csv", "Test").decode()
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == [
        "skill",
        "current",
        "required",
        "action",
        "target date",
        "status",
    ]
    assert len(rows) == 1 + len(plan.actions)


def run_cli(*args: str, db: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graph", *args, "--db", db],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_people_readiness_suggest_succession_and_plan(tmp_path):
    db = f"sqlite:///{tmp_path / 'w.sqlite'}"
    imported = run_cli("people", "import", "data/people.csv", db=db)
    assert imported.returncode == 0, imported.stderr
    ready = run_cli(
        "readiness", "Alex Rivera (fictional)", "Operations Manager", "--json", db=db
    )
    data = json.loads(ready.stdout)
    assert 0 <= data["readiness"] <= 100
    assert {"skill": "Leadership", "required": 4, "current": 1} in data["gaps"]
    suggest = json.loads(
        run_cli("suggest", "Alex Rivera (fictional)", "--json", db=db).stdout
    )
    assert suggest["suggestions"][0].keys() == {"role", "readiness", "moves"}
    succession = json.loads(
        run_cli("succession", "Operations Manager", "--json", db=db).stdout
    )
    bands = {row["person"]: row["band"] for row in succession["successors"]}
    assert bands["Morgan Blake (fictional)"] == "ready now"
    out = tmp_path / "alex.md"
    plan = run_cli(
        "plan",
        "export",
        "Alex Rivera (fictional)",
        "--format",
        "md",
        "--out",
        str(out),
        db=db,
    )
    assert plan.returncode == 0, plan.stderr
    assert out.read_text(encoding="utf-8").startswith("# Development plan: Alex")
    unknown = run_cli("readiness", "Alx Rivera", "COO", db=db)
    assert unknown.returncode == 1
    assert "did you mean 'Alex Rivera (fictional)'" in unknown.stderr
