"""The app driven through Streamlit's AppTest: widgets by key, deep links, errors."""

from __future__ import annotations

import json
import sys

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph.workspace import DB_ENV
from tests.conftest import REPO, write_data

APP = str(REPO / "app.py")


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch, tmp_path):
    """Each test loads its own data into its own workspace; sys.argv stands for
    `-- --data DIR`."""
    st.cache_data.clear()
    st.cache_resource.clear()
    # users see no error details (config.toml); a failing test should
    st.config.set_option("client.showErrorDetails", "full")
    monkeypatch.setattr(sys, "argv", ["app.py"])
    monkeypatch.setenv(DB_ENV, f"sqlite:///{tmp_path / 'workspace.sqlite'}")
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def run_app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def run_app_on_data(tmp_path, monkeypatch, roles: str, edges: str) -> AppTest:
    """The app as started with ``-- --data DIR`` on a folder of these files."""
    folder = write_data(tmp_path, roles, edges)
    monkeypatch.setattr(sys, "argv", ["app.py", "--data", str(folder)])
    return run_app()


def graph_data(at: AppTest, key: str = "career_graph") -> dict:
    (element,) = [e for e in at.get("bidi_component") if e.key == key]
    return json.loads(element.proto.json)


def search_box(at: AppTest, key: str) -> dict:
    """What the role search box that picks into ``key`` was given to draw."""
    return graph_data(at, f"{key}-search")


def pick(at: AppTest, key: str, role: str | None) -> None:
    """Pick ``role`` into ``key`` as the search box's pick does, and run."""
    at.session_state[key] = role
    at.run()
    assert not at.exception, at.exception


def table_with(at: AppTest, column: str):
    """The first dataframe that has ``column`` (keyed dataframes without
    selection keep no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def card_title(at: AppTest) -> str:
    return at.subheader[0].value


def show_tab(at: AppTest, tab: str) -> None:
    """Open a tab as a click would (only the open tab is drawn)."""
    at.session_state["tab"] = tab
    at.run()
    assert not at.exception, at.exception


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(parts)


def test_opens_on_the_best_connected_role():
    at = run_app()
    assert card_title(at) == "Operations Manager"
    assert at.query_params["role"] == "operations-manager"
    data = graph_data(at)
    assert len(data["nodes"]) == 13
    assert data["selected"] == "operations-manager"
    assert {e["type"] for e in data["edges"]} == {"promotion", "lateral", "reports_to"}


def test_choosing_a_role_updates_card_graph_and_url():
    at = run_app()
    pick(at, "role", "operations-lead")
    assert card_title(at) == "Operations Lead"
    assert search_box(at, "role")["value_label"] == "Operations Lead (Ops Lead)"
    assert graph_data(at)["selected"] == "operations-lead"
    assert at.query_params["role"] == "operations-lead"


def test_the_card_says_each_skill_level_in_words():
    at = run_app()
    skills = next(e for e in at.expander if e.label == "Skills")
    listed = skills.markdown[0].value
    # written "Leadership:Advanced" in roles.csv; escaped for Markdown here
    assert "- Leadership\\: advanced \\(4 of 5\\)" in listed
    assert "- Strategic thinking\n" in listed  # no level: the name alone
    assert "Advanced" not in listed


def test_a_role_with_many_other_names_lists_a_few_and_the_rest_on_request():
    at = run_app(data="onet", role="Registered Nurses")
    caption = next(c.value for c in at.caption if c.value.startswith("Also called"))
    names = next(e for e in at.expander if e.label.endswith("other names"))
    listed = names.markdown[0].value.split(", ")
    assert len(listed) > 20  # O*NET's many titles for the occupation
    assert caption.endswith(f", and {len(listed) - 8} more")
    assert caption.count(", ") == 8  # the first eight, then how many more
    assert names.label == f"All {len(listed)} other names"


def test_clearing_the_role_picker_falls_back_to_the_first_role():
    at = run_app(role="operations-lead")
    pick(at, "role", None)
    assert card_title(at) == "Operations Manager"


def test_related_role_chip_selects_it():
    at = run_app(role="operations-lead")
    at.pills(key="related_next").set_value("operations-manager").run()
    assert card_title(at) == "Operations Manager"
    assert at.pills(key="related_next").value is None


@pytest.mark.parametrize(
    ("query", "expected", "suggested"),
    [
        ("ops mgr", "operations-manager", False),  # abbreviations
        ("COO", "chief-operating-officer", False),  # an alias
        ("Warehose Manger", "warehouse-manager", False),  # missing letters
        ("cheif operating", "chief-operating-officer", True),  # swapped letters
    ],
)
def test_role_pickers_search_as_the_sidebar_does(query, expected, suggested):
    at = run_app()
    show_tab(at, "Plan a path")
    at.session_state["path_to-search"] = {"query": {"text": query, "n": 1}}
    at.run()
    box = search_box(at, "path_to")
    assert box["query"] == query
    assert box["hits"][0][0] == expected
    assert box["suggested"] is suggested


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ops mgr", "operations-manager"),  # abbreviations
        ("COO", "chief-operating-officer"),  # an alias
        ("Warehose Manger", "warehouse-manager"),  # typos
    ],
)
def test_search_finds_roles(query, expected):
    at = run_app()
    at.text_input(key="search").input(query).run()
    at.button(key=f"search-hit-{expected}").click().run()
    assert at.session_state["role"] == expected


def test_deep_link_role():
    at = run_app(role="operations-lead")
    assert card_title(at) == "Operations Lead"
    assert search_box(at, "role")["value_label"] == "Operations Lead (Ops Lead)"


def test_deep_link_path_goes_through_director():
    at = run_app(**{"from": "operations-assistant", "to": "chief-operating-officer"})
    text = all_text(at)
    assert "Director of Operations" in text
    assert "Option 1: 2 steps" in text
    assert at.session_state["tab"] == "Plan a path"
    assert at.query_params["to"] == "chief-operating-officer"
    # the first path is highlighted in the graph
    thick = [e for e in graph_data(at)["edges"] if e["width"] == 6]
    assert {(e["from"], e["to"]) for e in thick} == {
        ("operations-assistant", "operations-manager"),
        ("operations-manager", "chief-operating-officer"),
    }


def test_choosing_another_path_moves_the_highlight():
    at = run_app(**{"from": "operations-assistant", "to": "chief-operating-officer"})
    at.radio(key="path_choice").set_value(4).run()
    thick = {(e["from"], e["to"]) for e in graph_data(at)["edges"] if e["width"] == 6}
    assert ("director-of-operations", "chief-operating-officer") in thick
    assert ("operations-assistant", "operations-coordinator") in thick


def test_plan_downloads_hold_the_chosen_option_and_say_what_they_are():
    at = run_app(
        **{
            "from": "operations-assistant",
            "to": "chief-operating-officer",
            "option": "2",
        }
    )
    labels = {e.proto.label for e in at.get("download_button")}
    assert {"Download option 2 (Markdown)", "Download option 2 (CSV)"} <= labels


def test_a_plan_download_is_one_option_with_its_origin(bundled):
    from graph import career_paths
    from graph.export import plan_markdown

    G, _ = bundled
    second = career_paths(G, "operations-assistant", "chief-operating-officer")[1]
    text = plan_markdown(G, [second], "Operations roles")
    assert text.count("## Option") == 1
    assert "from Operations roles." in text


def test_no_path_offers_nearest_roles():
    at = run_app(**{"from": "chief-operating-officer", "to": "operations-assistant"})
    assert "There is no career path" in all_text(at)
    at.button(key="near-chief-executive-officer").click().run()
    assert at.session_state["path_to"] == "chief-executive-officer"


def test_deep_link_compare_shows_budget_oversight_side_by_side():
    at = run_app(compare="operations-lead,operations-manager")
    assert at.session_state["tab"] == "Compare"
    table = next(m.value for m in at.markdown if m.value.startswith("| Dimension"))
    assert table.splitlines()[0] == (
        "| Dimension | A: Operations Lead | B: Operations Manager |"
    )
    (row,) = [line for line in table.splitlines() if "Budget oversight" in line]
    label, lead, manager = row.strip("| ").split(" | ")
    assert label == ":orange-background[Budget oversight]"
    assert "own project or department" in lead
    assert "significant part" in manager
    assert "Lead reports to Operations Manager" in all_text(at)
    assert at.query_params["compare"] == "operations-lead,operations-manager"


def test_compare_with_selected_shortcut():
    at = run_app(role="team-leader")
    at.button(key="card-Compare").click().run()
    assert at.session_state["compare_a"] == "team-leader"
    assert at.session_state["tab"] == "Compare"


def test_unknown_role_in_link_is_explained():
    at = run_app(role="janitor-of-mars")
    assert "Link not understood" in all_text(at)
    assert card_title(at) == "Operations Manager"


def test_edge_toggles_and_family_filter_shape_the_graph():
    at = run_app()
    at.toggle(key="show_reports_to").set_value(False).run()
    assert "reports_to" not in {e["type"] for e in graph_data(at)["edges"]}
    at.pills(key="families").set_value(["Operations"]).run()
    families = {n["family"] for n in graph_data(at)["nodes"]}
    assert families == {"Operations"}


def test_neighbourhood_view():
    at = run_app(role="operations-lead")
    at.toggle(key="neighbourhood").set_value(True).run()
    ids = {n["id"] for n in graph_data(at)["nodes"]}
    assert ids == {"operations-lead", "operations-manager"}
    assert "Neighbourhood of Operations Lead" in graph_data(at)["note"]


def test_reporting_tab_shows_chain_and_team():
    at = run_app(role="operations-manager")
    assert "org_graph" not in [e.key for e in at.get("bidi_component")]
    show_tab(at, "Reporting line")
    text = all_text(at)
    assert (
        "Chief Executive Officer › Chief Operating Officer › Operations Manager" in text
    )
    org = graph_data(at, "org_graph")
    assert {e["type"] for e in org["edges"]} == {"reports_to"}
    # an org chart: rows by reporting depth, not by level
    y = {n["id"]: n["y"] for n in org["nodes"]}
    assert y["operations-assistant"] == y["operations-lead"] > y["operations-manager"]
    assert y["operations-manager"] > y["chief-operating-officer"]
    assert {"operations-assistant", "operations-lead"} <= {
        n["id"] for n in org["nodes"]
    }


def test_table_view_lists_roles():
    at = run_app()
    show_tab(at, "Table view")
    table = at.dataframe(key="roles_table").value
    assert len(table) == 13
    assert (
        "Ops Mgr"
        in table[table["Title"] == "Operations Manager"].iloc[0]["Also called"]
    )


def test_other_data_folder_with_errors_shows_the_report(tmp_path, monkeypatch):
    at = run_app_on_data(
        tmp_path,
        monkeypatch,
        "id,title,family,level\na,A,F,one\n",
        "source,target,type\na,b,boss\n",
    )
    assert "has 3 error(s)" in at.error[0].value
    problems = table_with(at, "severity")
    assert set(
        zip(problems["file"], problems["row"], problems["column"], strict=True)
    ) == {
        ("roles.csv", 2, "level"),
        ("edges.csv", 2, "target"),
        ("edges.csv", 2, "type"),
    }


def test_other_data_folder_loads(tmp_path, monkeypatch):
    at = run_app_on_data(
        tmp_path,
        monkeypatch,
        "id,title,family,level\na,Clerk,F,1\nb,Boss,F,2\n",
        "source,target,type\na,b,promotion\n",
    )
    assert {n["id"] for n in graph_data(at)["nodes"]} == {"a", "b"}


def test_saving_the_bundled_data_as_a_catalogue_and_going_back():
    at = run_app(role="operations-lead")
    show_tab(at, "Your data")
    at.text_input(key="edit_name").input("My ops").run()
    at.button(key="edit-apply").click().run()
    assert not at.exception
    assert (
        at.session_state["catalogue_name"],
        at.session_state["catalogue_version"],
    ) == (
        "My ops",
        1,
    )
    assert "Saved 'My ops' version 1" in at.success[0].value
    assert at.query_params["catalogue"] == "My ops"
    assert at.query_params["version"] == "1"
    assert len(graph_data(at)["nodes"]) == 13
    at.button(key="data-back").click().run()
    assert at.session_state["catalogue_name"] is None
    assert "catalogue" not in at.query_params


def test_saving_edits_without_a_name_is_refused():
    at = run_app()
    show_tab(at, "Your data")
    at.button(key="edit-apply").click().run()
    assert "needs a name" in at.error[0].value
    assert at.session_state["catalogue_name"] is None


def test_template_downloads_are_offered():
    at = run_app()
    show_tab(at, "Your data")
    labels = {e.proto.label for e in at.get("download_button")}
    assert {"roles.csv template", "edges.csv template", "Excel template"} <= labels
    assert {"Graph as GRAPHML", "Graph as JSON", "Graph as HTML"} <= labels


def test_templates_are_valid_catalogues():
    from graph import load_sources, load_workbook
    from ui.templates import TEMPLATE_EDGES, TEMPLATE_ROLES, template_workbook

    G, report = load_sources(
        TEMPLATE_ROLES.to_csv(index=False).encode(),
        TEMPLATE_EDGES.to_csv(index=False).encode(),
    )
    assert report.ok and len(G) == 2 and G.number_of_edges() == 2
    G, _ = load_workbook(template_workbook())
    assert sorted(G) == ["support-assistant", "support-lead"]


def test_warnings_of_the_data_in_use_are_shown(tmp_path, monkeypatch):
    at = run_app_on_data(
        tmp_path,
        monkeypatch,
        "id,title,family,level\na,Clerk,F,2\nb,Boss,F,1\n",
        "source,target,type\na,b,promotion\n",
    )
    show_tab(at, "Your data")
    assert at.expander[0].label.startswith("1 warning(s) about the data in use")
    warnings = table_with(at, "severity")
    assert list(warnings["message"])[0].endswith("goes down a level")


def save_a_bad_edit(name: str) -> AppTest:
    """The app after saving the bundled roles as ``name`` with the first role's
    level misspelt."""
    at = run_app()
    show_tab(at, "Your data")
    editor = f"edit_roles_{at.session_state['catalogue']}"
    at.session_state[editor] = {
        "edited_rows": {0: {"level": "senior"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.text_input(key="edit_name").input(name).run()
    at.button(key="edit-apply").click().run()
    return at


def test_a_rejected_edit_shows_the_report_and_keeps_the_data():
    at = save_a_bad_edit("Broken")
    assert at.error[0].value.startswith("Edits not saved: 1 error(s)")
    problems = table_with(at, "severity")
    located = problems[["file", "row", "column"]].to_records(index=False).tolist()
    assert located == [("roles.csv", 2, "level")]
    assert at.session_state["catalogue_name"] is None
    assert len(graph_data(at)["nodes"]) == 13


def test_plan_a_path_from_here_opens_the_planner_from_the_role():
    at = run_app(role="team-leader")
    at.button(key="card-Plan a path").click().run()
    assert at.session_state["tab"] == "Plan a path"
    assert at.session_state["path_from"] == "team-leader"
    assert search_box(at, "path_from")["value_label"] == "TL · Team Leader (Team Lead)"


def test_swap_button_exchanges_the_compared_roles():
    at = run_app(compare="operations-lead,operations-manager")
    at.button(key="compare-swap").click().run()
    assert at.session_state["compare_a"] == "operations-manager"
    assert at.session_state["compare_b"] == "operations-lead"
    assert at.query_params["compare"] == "operations-manager,operations-lead"


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("operations-lead", "give two roles separated by a comma"),  # one role
        ("a,b,c", "give two roles separated by a comma"),  # three roles
        ("operations-lead,janitor-of-mars", "No role 'janitor-of-mars'"),  # unknown
    ],
)
def test_malformed_compare_link_is_explained(link, problem):
    at = run_app(compare=link)
    assert "Link not understood" in all_text(at)
    assert problem in all_text(at)
    assert at.session_state["compare_b"] is None
    assert at.session_state["tab"] == "Compare"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "no file chosen"),  # nothing chosen
        ([("a.csv", 10)], "1 CSV file(s) chosen"),  # one CSV only
        ([("a.csv", 10), ("b.csv", 10), ("c.csv", 10)], "3 CSV file(s)"),  # three
        ([("a.xlsx", 10), ("b.csv", 10)], "one .xlsx workbook, or two CSV"),  # mixed
        ([("a.xlsx", 10), ("b.xlsx", 10)], "one .xlsx workbook, or two CSV"),  # two
        ([("roles.csv", 11 * 2**20), ("e.csv", 1)], "the limit is 10 MB"),  # big
    ],
)
def test_upload_rules(files, message):
    from types import SimpleNamespace

    from ui.panels.upload import upload_problems

    report = upload_problems([SimpleNamespace(name=n, size=s) for n, s in files])
    assert not report.ok
    assert any(message in problem.message for problem in report.errors)


def test_upload_rules_accept_two_csvs_or_one_workbook():
    from types import SimpleNamespace

    from ui.panels.upload import upload_problems

    for names in (["roles.csv", "edges.csv"], ["catalogue.xlsx"]):
        files = [SimpleNamespace(name=name, size=100) for name in names]
        assert upload_problems(files).ok


def _saved_workspace():
    from graph.workspace import open_workspace

    return open_workspace()  # the test's own database, from the environment


def _edit_title(at: AppTest, row: int, title: str, note: str) -> None:
    editor = f"edit_roles_{at.session_state['catalogue']}"
    at.session_state[editor] = {
        "edited_rows": {row: {"title": title}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.text_input(key="edit_note").input(note).run()
    at.button(key="edit-apply").click().run()
    assert not at.exception


def test_a_catalogue_edited_twice_and_restored_once_survives_a_reload(
    workspace_url, monkeypatch
):
    monkeypatch.setenv(DB_ENV, workspace_url)  # SQLite, then PostgreSQL
    at = run_app()
    show_tab(at, "Your data")
    at.text_input(key="edit_name").input("Ops").run()
    at.button(key="edit-apply").click().run()
    _edit_title(at, 0, "Ops Assistant I", "shorter title")
    _edit_title(at, 0, "Ops Assistant II", "another title")
    assert at.session_state["catalogue_version"] == 3
    versions = table_with(at, "What changed")
    assert list(versions["Version"]) == [3, 2, 1]
    assert list(versions["Note"]) == [
        "another title",
        "shorter title",
        "Edited in the app",
    ]
    assert list(versions["What changed"])[:2] == ["1 role changed"] * 2
    # restore version 1 as the newest
    at.selectbox(key="version_pick_Ops_3").set_value(1).run()
    at.button(key="version-restore").click().run()
    assert at.session_state["catalogue_version"] == 4
    assert "Restored version 1 of 'Ops' as version 4" in at.success[0].value
    # a reload: a new session on the same URL opens the same data
    params = dict(at.query_params)
    reloaded = run_app(
        **{k: v[0] if isinstance(v, list) else v for k, v in params.items()}
    )
    assert reloaded.session_state["catalogue_name"] == "Ops"
    assert reloaded.session_state["catalogue_version"] == 4
    titles = {n["label"] for n in graph_data(reloaded)["nodes"]}
    assert "Operations Assistant" in titles and "Ops Assistant II" not in titles


def _saved_then_edited() -> AppTest:
    """The bundled catalogue saved as "Ops" (version 1), then a title edited
    (version 2, open)."""
    at = run_app()
    show_tab(at, "Your data")
    at.text_input(key="edit_name").input("Ops").run()
    at.button(key="edit-apply").click().run()
    _edit_title(at, 0, "Ops Assistant I", "shorter title")
    return at


def test_a_version_download_is_made_when_its_button_is_clicked():
    at = _saved_then_edited()
    buttons = {e.proto.label: e.proto for e in at.get("download_button")}
    # the buttons hold a function, called on a click, not the files themselves
    for label in ("Version 2: roles.csv", "Version 2: edges.csv"):
        assert buttons[label].deferred_file_id and not buttons[label].url
    from ui.panels.versions import _version_csv

    first = _version_csv(None, "Ops", 1, "roles.csv")
    assert "Operations Assistant" in first and "Ops Assistant I" not in first
    assert "Ops Assistant I" in _version_csv(None, "Ops", 2, "roles.csv")


def test_versions_are_compared_in_the_app():
    at = _saved_then_edited()
    # version 2 is open, and compared with version 1 by default
    assert at.selectbox(key="version_other_Ops_2").value == 1
    changed = table_with(at, "Role id")
    assert changed.to_dict("records") == [
        {"Change": "changed", "Role id": "operations-assistant", "Fields": "title"}
    ]


def test_an_apply_from_an_older_version_is_refused_with_the_other_change():
    first = run_app()
    show_tab(first, "Your data")
    first.text_input(key="edit_name").input("Ops").run()
    first.button(key="edit-apply").click().run()
    second = run_app(catalogue="Ops", version="1")  # another person, same version
    show_tab(second, "Your data")
    _edit_title(first, 0, "Ops Assistant I", "first person's change")
    _edit_title(second, 1, "Ops Coordinator I", "second person's change")
    message = second.error[0].value
    assert "has changed since version 1" in message
    assert "first person's change" in message
    assert second.session_state["catalogue_version"] == 1  # nothing applied
    changed = table_with(second, "Role id")
    assert list(changed["Role id"]) == ["operations-assistant"]
    assert [v.number for v in _saved_workspace().versions("Ops")] == [1, 2]
    second.button(key="conflict-open").click().run()
    assert second.session_state["catalogue_version"] == 2


@pytest.mark.parametrize(
    ("params", "problem", "version"),
    [
        # a catalogue that is not saved (deleted, or another workspace)
        ({"catalogue": "Gone"}, "no saved catalogue 'Gone'", None),
        # a version that does not exist: the latest opens instead
        ({"catalogue": "Ops", "version": "7"}, "has no version '7'", 1),
    ],
)
def test_links_to_missing_catalogues_say_so(params, problem, version):
    roles = (REPO / "data" / "roles.csv").read_bytes()
    edges = (REPO / "data" / "edges.csv").read_bytes()
    _saved_workspace().save("Ops", roles, edges)
    at = run_app(**params)
    assert "Link not understood" in all_text(at)
    assert problem in all_text(at)
    assert at.session_state["catalogue_version"] == version
    assert len(graph_data(at)["nodes"]) == 13


def test_deleting_a_catalogue_asks_first():
    roles = (REPO / "data" / "roles.csv").read_bytes()
    edges = (REPO / "data" / "edges.csv").read_bytes()
    _saved_workspace().save("Ops", roles, edges)
    at = run_app(catalogue="Ops")
    show_tab(at, "Your data")
    assert at.button(key="catalogue-delete").disabled
    at.checkbox(key="confirm_delete_Ops").check().run()
    at.button(key="catalogue-delete").click().run()
    assert at.session_state["catalogue_name"] is None
    assert _saved_workspace().catalogues() == []


def test_a_restore_from_a_stale_page_is_refused_like_an_edit():
    roles = (REPO / "data" / "roles.csv").read_bytes()
    edges = (REPO / "data" / "edges.csv").read_bytes()
    ws = _saved_workspace()
    ws.save("Ops", roles, edges)
    ws.save("Ops", roles.replace(b"Team Leader,", b"Shift Leader,"), edges, based_on=1)
    at = run_app(catalogue="Ops", version="1")
    show_tab(at, "Your data")  # the page offers: restore version 1 over version 2
    ws.save("Ops", roles, edges, based_on=2, note="someone else")
    at.button(key="version-restore").click().run()
    assert not at.exception
    assert "has changed since version 2" in at.error[0].value
    assert [v.number for v in ws.versions("Ops")] == [1, 2, 3]


def test_only_the_relation_types_a_catalogue_uses_get_toggles_and_legend():
    at = run_app()
    toggles = {t.key for t in at.toggle}
    assert {"show_promotion", "show_lateral", "show_reports_to"} <= toggles
    assert "show_related" not in toggles  # the operations data has none
    legend = [entry[0] for entry in graph_data(at)["legend"]["edges"]]
    assert legend == ["promotion", "lateral", "reports_to"]


def test_the_catalogue_picker_names_the_bundled_catalogue():
    at = run_app()
    picker = at.selectbox(key="catalogue_choice")
    assert picker.value == "folder:"  # the folder, not "nothing chosen"
    assert picker.format_func(picker.value) == "Operations roles (bundled, read-only)"
    assert (
        picker.format_func("folder:onet")
        == "O*NET 29.3 occupations (bundled, read-only)"
    )
    assert card_title(at) == "Operations Manager"  # named in catalogue.json
    heading = next(p.label for p in at.pills if p.key == "related_next")
    assert heading == "Next moves (↑ promotion, ↔ lateral move)"


def test_the_picker_switches_between_saved_and_bundled_catalogues():
    roles = (REPO / "data" / "roles.csv").read_bytes()
    edges = (REPO / "data" / "edges.csv").read_bytes()
    _saved_workspace().save("Ops", roles.replace(b"Team Leader,", b"Lead,"), edges)
    at = run_app(role="team-leader")
    at.selectbox(key="catalogue_choice").set_value("saved:Ops").run()
    assert (at.session_state["catalogue_name"], at.query_params["version"]) == (
        "Ops",
        "1",
    )
    # a new catalogue: its own landing; a saved one names none, so careers
    # start at the most junior role of the largest family
    assert card_title(at) == "Operations Assistant"
    at.selectbox(key="catalogue_choice").set_value("folder:").run()
    assert at.session_state["catalogue_name"] is None
    assert "catalogue" not in at.query_params


def test_the_onet_catalogue_opens_from_the_picker_with_its_credit():
    at = run_app()
    at.selectbox(key="catalogue_choice").set_value("folder:onet").run()
    assert not at.exception
    assert card_title(at) == "General and Operations Managers"
    assert at.query_params["data"] == "onet"
    assert any("CC BY 4.0" in c.value for c in at.sidebar.caption)
    # the link opens it again, and a wrong name is explained
    assert card_title(run_app(data="onet", role="Cashiers")) == "Cashiers"
    at = run_app(data="nope")
    assert "no bundled catalogue 'nope'" in at.warning[0].value
    assert card_title(at) == "Operations Manager"


def test_the_card_names_the_level_when_the_catalogue_does(monkeypatch):
    from graph.schema import BUNDLED_DATA

    monkeypatch.setattr(sys, "argv", ["app.py", "--data", str(BUNDLED_DATA / "onet")])
    at = run_app(role="Registered Nurses")
    assert card_title(at) == "Registered Nurses"
    caption = next(c.value for c in at.caption if "level 4" in c.value)
    assert "level 4 \\(Considerable Preparation Needed\\)" in caption


def test_onet_next_moves_come_in_tiers_and_the_soc_groups_as_a_taxonomy():
    at = run_app(data="onet", role="Registered Nurses")
    groups = [p.label for p in at.pills if p.key.startswith("related_next")]
    # O*NET bands its 20 ranked relations into tiers, closest tier first
    assert groups == ["Primary-Short (5)", "Primary-Long (5)", "Supplemental (10)"]
    first = next(p for p in at.pills if p.key == "related_next0")
    assert first.options[0].endswith("Clinical Nurse Specialists")
    belongs = next(c.value for c in at.caption if c.value.startswith("Belongs to"))
    assert "Healthcare Practitioners and Technical \\(29-0000\\) › SOC minor" in belongs


def test_a_folder_with_a_bad_row_loads_without_it_on_request(tmp_path, monkeypatch):
    at = run_app_on_data(
        tmp_path,
        monkeypatch,
        "id,title,family,level\na,Clerk,F,1\nb,Boss,F,two\nc,Chief,F,3\n",
        "source,target,type\na,b,promotion\na,c,promotion\n",
    )
    assert "has 1 error(s)" in at.error[0].value  # strict: the report, no graph
    at.button(key="load-skip-invalid").click().run()
    assert not at.exception
    assert len(graph_data(at)["nodes"]) == 2  # Boss and its promotion left out
    assert at.warning[0].value.startswith("2 row(s) with errors were left out")
    left_out = table_with(at, "problem")
    assert list(zip(left_out["file"], left_out["row"], strict=True)) == [
        ("roles.csv", 3),
        ("edges.csv", 2),
    ]
    assert (
        at.get("download_button")[0].proto.label == "Download the rows left out (CSV)"
    )


def test_a_rejected_edit_can_be_saved_without_its_bad_rows():
    at = save_a_bad_edit("Lenient")
    button = at.button(key="data-skip-invalid")
    # the Assistant's row, and every relation of the Assistant
    edges = (REPO / "data" / "edges.csv").read_text(encoding="utf-8").splitlines()
    left_out = 1 + sum("operations-assistant," in line for line in edges)
    assert button.label == f"Save without the {left_out} row(s) with errors"
    button.click().run()
    assert not at.exception
    assert at.session_state["catalogue_name"] == "Lenient"
    assert len(graph_data(at)["nodes"]) == 12
    assert any(
        w.value.startswith(f"{left_out} row(s) with errors were left out")
        for w in at.warning
    )
    version = _saved_workspace().versions("Lenient")[-1]
    assert version.note.endswith(f"left out {left_out} row(s) with errors")


def test_people_on_the_onet_catalogue_examples_readiness_plan_and_succession():
    at = run_app(data="onet", role="First-Line Supervisors of Retail Sales Workers")
    show_tab(at, "People")
    at.button(key="people-examples").click().run()
    assert not at.exception
    assert at.success[0].value == "Added 3 fictional example people."
    assert at.selectbox(key="person_pick").value == "Casey Nguyen (fictional)"
    # readiness for the first target, in words and with its gaps
    assert at.selectbox(key="readiness_role").value == "11-9111.00"
    readiness = next(m for m in at.metric if m.label == "Readiness")
    assert readiness.value.endswith("%")
    assert any(md.value.startswith("Meets 7 of 23 skills") for md in at.markdown)
    at.button(key="plan-start-1").click().run()
    assert not at.exception
    assert at.text_input(
        key=next(t.key for t in at.text_input if t.label.startswith("Action for"))
    )
    show_tab(at, "Succession")
    successors = table_with(at, "band")
    assert list(successors["person"])[0] == "Taylor Brooks (fictional)"
    assert list(successors["band"])[:2] == ["ready now", "ready after one move"]


def test_people_of_another_catalogue_are_counted_not_shown():
    at = run_app(data="onet")
    show_tab(at, "People")
    at.button(key="people-examples").click().run()
    at = run_app()  # the operations catalogue, same workspace
    show_tab(at, "People")
    assert at.selectbox(key="person_pick").options == ["➕ New person"]
    assert "3 more saved on other catalogues." in [c.value for c in at.caption]


def test_tab_switches_keep_each_tabs_choices_and_the_url_names_the_tab():
    at = run_app(compare="operations-lead,operations-manager")
    show_tab(at, "Plan a path")
    pick(at, "path_to", "chief-operating-officer")
    assert at.query_params["tab"] == "plan"
    show_tab(at, "Compare")
    # the planner's choice survives a run that did not draw the planner
    assert at.session_state["path_to"] == "chief-operating-officer"
    assert at.session_state["compare_b"] == "operations-manager"
    assert at.query_params["compare"] == "operations-lead,operations-manager"
    assert (at.query_params["to"], at.query_params["option"]) == (
        "chief-operating-officer",
        "1",
    )
    assert at.query_params["tab"] == "compare"


@pytest.mark.parametrize(
    ("params", "tab"),
    [
        ({"tab": "succession"}, "Succession"),  # any tab by its name in the URL
        ({"from": "operations-lead", "to": "coo"}, "Plan a path"),  # old links work
        ({"tab": "nope"}, "Compare"),  # unknown: explained, default tab
    ],
)
def test_links_open_the_tab_they_name(params, tab):
    at = run_app(**params)
    assert at.session_state["tab"] == tab
    if params.get("tab") == "nope":
        assert "no tab 'nope'; the tabs are compare, plan" in at.warning[0].value


def test_inferred_relations_are_marked_and_explained_in_the_legend():
    data = graph_data(run_app())
    inferred = {(e["from"], e["to"]) for e in data["edges"] if e.get("inferred")}
    assert ("team-leader", "operations-manager") in inferred  # read from a comparison
    assert ("operations-assistant", "operations-coordinator") not in inferred  # stated
    assert data["legend"]["inferred"] is True
    tooltip = next(
        e["title"] for e in data["edges"] if (e["from"], e["to"]) in inferred
    )
    assert "Inferred from a comparison" in tooltip


def test_the_org_view_dims_nobody_and_groups_roles_without_a_line():
    at = run_app(role="operations-manager")
    show_tab(at, "Reporting line")
    org = graph_data(at, "org_graph")
    assert org["dim"] is False  # none dimmed
    unplaced = at.pills(key="org_unplaced")
    assert unplaced.label.endswith("(8 roles)")
    assert "Team Leader" in unplaced.options  # as shown
    unplaced.set_value("team-leader").run()
    assert card_title(at) == "Team Leader"
    assert at.pills(key="org_unplaced").value is None
    at = run_app(data="onet")
    show_tab(at, "Reporting line")
    assert at.pills(key="org_unplaced").label.endswith("(923 roles)")
    assert "… and 911 more (see Table view)" in [c.value for c in at.caption]


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        ("Opperations", "operations-lead"),  # a misspelt word: closest titles offered
        ("cheif operting", "chief-operating-officer"),  # two misspelt words
    ],
)
def test_a_search_with_typos_offers_the_closest_roles(query, offered):
    at = run_app()
    at.text_input(key="search").input(query).run()
    assert any("did you mean" in c.value for c in at.sidebar.caption)
    at.button(key=f"search-hit-{offered}").click().run()
    assert at.session_state["role"] == offered


def test_the_org_view_opens_and_collapses_branches():
    at = run_app(role="chief-executive-officer")
    show_tab(at, "Reporting line")
    at.number_input(key="org_depth").set_value(1).run()
    org = graph_data(at, "org_graph")
    ids = {n["id"] for n in org["nodes"]}
    # one level: the COO and the Operations Manager, whose two reports wait
    # behind a "+2 more" box below it
    assert ids == {
        "chief-executive-officer",
        "chief-operating-officer",
        "operations-manager",
        "more:operations-manager",
    }
    more = next(n for n in org["nodes"] if n["id"] == "more:operations-manager")
    manager = next(n for n in org["nodes"] if n["id"] == "operations-manager")
    assert more["label"] == "+2 more" and more["y"] > manager["y"]
    assert more["title"] == "Show who else reports to Operations Manager"
    # a click on it opens that branch only (the component's callback)
    at.session_state["org_expanded"] = ["operations-manager"]
    at.run()
    ids = {n["id"] for n in graph_data(at, "org_graph")["nodes"]}
    assert {"operations-assistant", "operations-lead"} <= ids
    at.button(key="org_collapse").click().run()
    assert at.session_state["org_expanded"] == []
    assert "operations-assistant" not in {
        n["id"] for n in graph_data(at, "org_graph")["nodes"]
    }


def test_a_role_under_two_managers_sits_below_both_in_the_org_view():
    # the Operations Manager reports to the COO and to the CEO
    at = run_app(role="chief-executive-officer")
    show_tab(at, "Reporting line")
    y = {n["id"]: n["y"] for n in graph_data(at, "org_graph")["nodes"]}
    assert (
        y["chief-executive-officer"]
        < y["chief-operating-officer"]
        < y["operations-manager"]
    )


def test_the_graph_script_is_served_as_a_file_not_sent_with_every_rerun():
    from career_graph_component import ASSETS

    from ui.component import script_bundle

    at = run_app()
    for key in ("career_graph",):
        (element,) = [e for e in at.get("bidi_component") if e.key == key]
        # a path the browser fetches once, not 490 KB inside each rerun
        assert element.proto.js_content == "" and element.proto.css_content == ""
        assert element.proto.js_source_path == "career_graph.bundle.js"
        assert element.proto.css_source_path == "career_graph.css"
    # the file served is the whole script: vis-network, routes, the module
    served = (ASSETS / "career_graph.bundle.js").read_text(encoding="utf-8")
    assert served == script_bundle()
    assert "drawRoutes" in served and "vis.Network" in served
