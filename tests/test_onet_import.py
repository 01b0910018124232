"""The O*NET importer on the real O*NET 29.3 files, as text and as Excel."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from graph import load_graph
from graph.importers.onet import ATTRIBUTION, import_onet
from tests.conftest import REPO

ONET = REPO.parent / "shared" / "onet_29_3"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    if not ONET.is_dir():
        pytest.fail(f"the O*NET files are expected in {ONET}")
    out = tmp_path_factory.mktemp("onet")
    result = import_onet(ONET, out)
    G, report = load_graph(out)
    return result, G, report, out


def test_one_role_per_occupation_with_a_job_zone(imported):
    result, G, report, _ = imported
    # README of the files: 923 occupations have a Job Zone, 93 do not, and each
    # of the 923 has exactly 20 related occupations.
    assert (result.roles, result.skipped_without_zone) == (923, 93)
    assert len(G) == 923 and report.ok
    assert result.relations == 18_460 == G.number_of_edges()
    assert {len(G.out_edges(role)) for role in G} == {20}


def test_roles_carry_the_occupation_data(imported):
    _, G, _, _ = imported
    nurse = G.nodes["29-1141.00"]
    assert nurse["title"] == "Registered Nurses"
    assert nurse["family"] == "Healthcare Practitioners and Technical"
    assert nurse["level"] == 4  # its Job Zone in "Job Zones.txt"
    assert nurse["summary"].startswith("Assess patient health problems")
    assert "Charge Nurse" in nurse["aliases"]
    assert nurse["source"] == ATTRIBUTION.format(release="29.3")
    # SOC groups as a taxonomy, broadest first: never a reporting line
    assert nurse["taxonomy"] == [
        "Healthcare Practitioners and Technical (29-0000)",
        "SOC minor group 29-1000",
        "SOC broad occupation 29-1140",
    ]
    assert not any(key == "reports_to" for *_, key in G.edges(keys=True))
    # skills kept at importance 3 or more, each with its O*NET level
    names = [entry.rsplit(":", 1)[0] for entry in nurse["skills"]]
    assert "Active Listening" in names
    assert all(float(entry.rsplit(":", 1)[1]) >= 0 for entry in nurse["skills"])


def test_a_task_with_a_semicolon_stays_one_responsibility(imported):
    _, G, _, _ = imported
    tasks = G.nodes["47-5032.00"]["responsibilities"]
    assert any(task.startswith("Place explosive charges in holes") for task in tasks)
    assert any("; then detonate explosives" in task for task in tasks)


def test_related_occupations_keep_rank_and_tier(imported):
    _, G, _, _ = imported
    closest = G["11-1011.00"]["11-1021.00"]["related"]
    assert (closest["rank"], closest["tier"]) == (1, "Primary-Short")


def test_the_catalogue_names_its_release_landing_role_and_credit(imported):
    _, G, _, _ = imported
    about = G.graph["about"]
    assert about["title"] == "O*NET 29.3 occupations"
    assert G.nodes[about["landing_role"]]["title"] == "General and Operations Managers"
    assert "CC BY 4.0" in about["attribution"]


def test_levels_are_named(imported):
    *_, out = imported
    levels = pd.read_csv(out / "levels.csv")
    assert list(levels["level"]) == [1, 2, 3, 4, 5]
    assert levels["name"][0] == "Little or No Preparation Needed"


def test_the_excel_release_imports_the_same(tmp_path):
    """A release as Excel files (O*NET publishes both) gives the same catalogue.
    A handful of occupations keeps the conversion quick."""
    keep = {"29-1141.00", "11-9111.00", "29-2061.00", "31-1131.00"}
    text_folder, excel_folder = tmp_path / "text", tmp_path / "excel"
    text_folder.mkdir()
    excel_folder.mkdir()
    for path in list(ONET.glob("*.txt")) + list(ONET.glob("*.xlsx")):
        if path.name == "Read Me.txt":
            continue
        if path.suffix == ".txt":
            table = pd.read_csv(
                path, sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE
            )
        else:
            table = pd.read_excel(path, dtype=str, keep_default_na=False)
        if "O*NET-SOC Code" in table.columns:
            table = table[table["O*NET-SOC Code"].isin(keep)]
        table.to_csv(
            text_folder / f"{path.stem}.txt",
            sep="\t",
            index=False,
            quoting=csv.QUOTE_NONE,
        )
        table.to_excel(excel_folder / f"{path.stem}.xlsx", index=False)
    import_onet(text_folder, tmp_path / "from-text")
    import_onet(excel_folder, tmp_path / "from-excel")
    for name in ("roles.csv", "edges.csv", "levels.csv", "catalogue.json"):
        assert (tmp_path / "from-text" / name).read_bytes() == (
            tmp_path / "from-excel" / name
        ).read_bytes(), name
    assert len(load_graph(tmp_path / "from-excel")[0]) == 4


def test_a_folder_without_the_files_is_a_clear_error(tmp_path):
    from graph.errors import CareerGraphError

    with pytest.raises(CareerGraphError, match="no 'Occupation Data' file"):
        import_onet(tmp_path, tmp_path / "out")


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # the two paths the real-catalogue issue names
        ("Cashiers", "First-Line Supervisors of Retail Sales Workers"),
        ("Registered Nurses", "Medical and Health Services Managers"),
    ],
)
def test_real_paths_never_dip_below_the_start(source, target):
    from graph import career_paths, find_role
    from graph.schema import BUNDLED_DATA

    G, _ = load_graph(BUNDLED_DATA / "onet")
    start, goal = find_role(G, source), find_role(G, target)
    paths = career_paths(G, start, goal, k=3)
    assert paths, "a path exists"
    floor = G.nodes[start]["level"]
    for path in paths:
        assert all(G.nodes[role]["level"] >= floor for role in path.roles)


def test_named_levels_show_where_levels_show():
    from graph import compare_roles, level_label
    from graph.schema import BUNDLED_DATA

    G, _ = load_graph(BUNDLED_DATA / "onet")
    assert level_label(G, 4) == "level 4 (Considerable Preparation Needed)"
    row = next(
        r
        for r in compare_roles(G, "29-1141.00", "11-9111.00").rows
        if r.column == "level"
    )
    assert row.a == "level 4 (Considerable Preparation Needed)"
