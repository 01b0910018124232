"""Hostile text never runs: the app on a payload-filled catalogue, exported
HTML in the browser, and uploads that are broken."""

from __future__ import annotations

import contextlib
import csv
import time
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from graph import load_graph
from graph.export import standalone_html
from graph.workspace import DB_ENV
from tests.browser.conftest import open_app, screenshot
from tests.hostile import write_hostile_data
from ui.devserver import (
    catalogue_files,
    click_node,
    csv_file,
    start_app,
    stop_app,
    upload_files,
    wait_for_run,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    return write_hostile_data(tmp_path_factory.mktemp("hostile") / "data")


@pytest.fixture(scope="module")
def hostile_app(hostile_folder, tmp_path_factory):
    database = tmp_path_factory.mktemp("hostile-workspace") / "workspace.sqlite"
    process, url = start_app(
        "--data", str(hostile_folder), env={DB_ENV: f"sqlite:///{database}"}
    )
    yield url
    stop_app(process)


def watch_for_attacks(page: Page) -> list[str]:
    """Dialogs opened on the page (each one a payload that ran)."""
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def assert_nothing_ran(page: Page, dialogs: list[str]) -> None:
    assert dialogs == []
    assert page.evaluate("window.__pwned === undefined"), page.evaluate(
        "window.__pwned"
    )


def test_payloads_stay_text_in_every_view(page: Page, hostile_app, hostile_folder):
    G, _ = load_graph(hostile_folder)
    ids = list(G)
    dialogs = watch_for_attacks(page)
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((hostile_app, "data:", "blob:", "about:"))
            else elsewhere.append(request.url)
        ),
    )
    open_app(page, hostile_app)
    for role in ids:
        click_node(page, role)
        page.wait_for_function(
            "(id) => new URLSearchParams(location.search).get('role') === id", arg=role
        )
        page.mouse.move(5, 5)
    screenshot(page, "hostile-graph")
    # bare addresses in the data are text, not links
    assert page.locator("a[href*='.invalid']").count() == 0
    # The role card shows the last payload title as text.
    heading = page.get_by_role("heading", level=3).filter(has_text="<svg onload=")
    expect(heading).to_be_visible()
    open_app(page, f"{hostile_app}/?compare={quote(ids[0])},{quote(ids[1])}")
    expect(
        page.get_by_text("Shaded dimensions differ between the two roles")
    ).to_be_visible()
    open_app(page, f"{hostile_app}/?from={quote(ids[0])}&to={quote(ids[3])}")
    expect(page.get_by_role("strong").filter(has_text="Option 1:")).to_be_visible()
    # Each tab's content appears (the run has finished), payloads as plain text.
    last = G.nodes[ids[0]]["title"]
    for tab, content in (
        ("Reporting line", page.get_by_text("Chain of command:")),
        ("Table view", page.get_by_text(f"Relations of {last}", exact=True)),
        ("Your data", page.get_by_text("1. Start from the template")),
    ):
        page.get_by_role("tab", name=tab).click()
        expect(content).to_be_visible()
    screenshot(page, "hostile-views")
    assert_nothing_ran(page, dialogs)
    assert elsewhere == []  # no image fetched, no link followed


def test_exported_html_is_offline_and_inert(browser, hostile_folder, tmp_path):
    G, _ = load_graph(hostile_folder)
    page_file = tmp_path / "graph.html"
    page_file.write_text(standalone_html(G), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    dialogs = watch_for_attacks(page)
    page.goto(page_file.as_uri())
    page.wait_for_function("typeof network !== 'undefined'")
    tooltip = page.locator("div.vis-tooltip")
    for role in G:
        position = page.evaluate(
            "(id) => network.canvasToDOM(network.getPositions([id])[id])", role
        )
        box = page.locator("#graph").bounding_box()
        page.mouse.move(box["x"] + position["x"], box["y"] + position["y"])
        # the tooltip shows the payload title as text, not as markup
        expect(tooltip).to_contain_text(G.nodes[role]["title"])
        # innerText turns line breaks into <br>; any other element is markup
        tags = tooltip.evaluate(
            "(t) => [...t.querySelectorAll('*')].map(e => e.tagName)"
        )
        assert set(tags) <= {"BR"}, tags
        # a click shows the role's details beside the graph, as text
        page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
        expect(page.locator("#card-title")).to_have_text(G.nodes[role]["title"])
        fields = page.locator("#card-fields")
        expect(fields).to_contain_text(G.nodes[role]["family"])
        tags = fields.evaluate(
            "(f) => [...f.querySelectorAll('*')].map(e => e.tagName)"
        )
        assert set(tags) <= {"DT", "DD"}, tags
    legend = page.locator("#legend")
    for family in {family for _, family in G.nodes(data="family")}:
        expect(legend).to_contain_text(family)
    assert legend.locator("script, img, a").count() == 0
    screenshot(page, "exported-html")
    assert_nothing_ran(page, dialogs)
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    context.close()


def test_malformed_upload_shows_rows_and_keeps_the_graph(page: Page, app_url: str):
    open_app(page, app_url)
    roles = b"id,title,family,level\nclerk,Clerk,Ops,1\nclerk,Clerk again,Ops,senior\n"
    edges = b"source,target,type\nclerk,boss,promotion\n"
    upload_files(page, catalogue_files(roles, edges))
    expect(page.get_by_text("Upload not saved: 3 error(s)")).to_be_visible()
    grid = page.locator("[data-testid='stDataFrame']").filter(has_text="severity")
    expect(grid).to_be_visible()
    screenshot(page, "upload-rejected")
    assert page.evaluate("window.careerGraph.body.data.nodes.length") == 13


def test_a_good_upload_is_saved_and_survives_a_reload(page: Page, app_url: str):
    open_app(page, app_url)
    roles = b"id;title;family;level\nclerk;Clerk;Ops;1\nboss;Boss;Ops;2\n"
    edges = b"source,target,type\nclerk,boss,promotion\n"
    upload_files(
        page,
        [
            csv_file("my-edges.csv", edges),
            csv_file("my-roles.csv", roles),
        ],
    )
    page.wait_for_function("window.careerGraph.body.data.nodes.length === 2")
    expect(page.get_by_text("Saved 'my' version 1")).to_be_visible()
    # the uploader is empty again: the files live in the workspace now
    expect(page.get_by_role("button", name="Remove my-roles.csv")).to_have_count(0)
    page.wait_for_function("location.search.includes('catalogue=my')")
    page.reload()
    page.wait_for_function(
        "window.careerGraph && window.careerGraph.body.data.nodes.length === 2"
    )
    page.get_by_role("tab", name="Your data").click()
    expect(page.get_by_text("In use: my, version 1")).to_be_visible()
    page.get_by_role("button", name="Open the bundled catalogue").click()
    page.wait_for_function("window.careerGraph.body.data.nodes.length === 13")


def test_new_user_walk_template_upload_fix_explore_export(
    page: Page, app_url: str, tmp_path
):
    """Template, fill in, upload, fix the reported error, explore, export."""
    open_app(page, app_url)
    page.get_by_role("tab", name="Your data").click()
    templates = {}
    for name in ("roles.csv", "edges.csv"):
        with page.expect_download() as download:
            page.get_by_role("button", name=f"{name} template").click()
        templates[name] = download.value.path().read_text(encoding="utf-8")
    roles = templates["roles.csv"] + "support-manager,Support Manager,Support,three\n"
    edges = templates["edges.csv"] + "support-lead,support-manager,promotion\n"
    files = [
        csv_file("roles.csv", roles.encode()),
        csv_file("edges.csv", edges.encode()),
    ]
    upload_files(page, files)
    expect(page.get_by_text("Upload not saved: 1 error(s)")).to_be_visible()
    report = page.locator("[data-testid='stDataFrame']").filter(has_text="severity")
    expect(report).to_contain_text("level 'three' is not a whole number")
    expect(report).to_contain_text("use a whole number")
    files[0]["buffer"] = roles.replace(",three", ",3").encode()
    for name in ("roles.csv", "edges.csv"):
        remove = page.get_by_role("button", name=f"Remove {name}")
        remove.click()
        expect(remove).to_have_count(0)  # gone from the uploader before re-adding
    upload_files(page, files)
    page.wait_for_function("window.careerGraph.body.data.nodes.length === 3")
    click_node(page, "support-manager")
    expect(
        page.get_by_role("heading", name="Support Manager", exact=True)
    ).to_be_visible()
    page.get_by_role("tab", name="Your data").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Graph as GRAPHML").click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert "support-manager" in exported and "<graphml" in exported
    screenshot(page, "new-user-walk")


def test_an_upload_with_bad_rows_can_be_saved_without_them(page: Page, app_url: str):
    open_app(page, app_url)
    roles = (
        b"id,title,family,level\nclerk,Clerk,Ops,1\nboss,Boss,Ops,two\n"
        b"lead,Lead,Ops,2\n"
    )
    edges = b"source,target,type\nclerk,lead,promotion\nlead,boss,promotion\n"
    upload_files(page, catalogue_files(roles, edges, "lenient-"))
    expect(page.get_by_text("Upload not saved: 1 error(s)")).to_be_visible()
    page.get_by_role("button", name="Save without the 2 row(s) with errors").click()
    page.wait_for_function("window.careerGraph.body.data.nodes.length === 2")
    expect(page.get_by_text("2 row(s) with errors were left out")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the rows left out (CSV)").click()
    text = download.value.path().read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert [row[:3] for row in rows[1:]] == [
        ["lenient-roles.csv", "3", "level: level 'two' is not a whole number"],
        ["lenient-edges.csv", "3", "target: unknown role id 'boss'"],
    ]
    screenshot(page, "upload-saved-without-bad-rows")


def test_after_a_server_restart_the_page_keeps_the_saved_catalogue(browser, tmp_path):
    database = f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    process, url = start_app(env={DB_ENV: database})
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(60_000)
    try:
        open_app(page, url)
        roles = b"id,title,family,level\nclerk,Clerk,Ops,1\nboss,Boss,Ops,2\n"
        edges = b"source,target,type\nclerk,boss,promotion\n"
        upload_files(page, catalogue_files(roles, edges, "kept-"))
        page.wait_for_function("window.careerGraph.body.data.nodes.length === 2")
        page.wait_for_function("location.search.includes('catalogue=kept')")
        stop_app(process)
        port = int(url.rsplit(":", 1)[1])
        process, _ = start_app(env={DB_ENV: database}, port=port)
        # the page reconnects by itself; a click lost while it does is
        # clicked again, as a user would
        deadline = time.monotonic() + 60
        while "role=boss" not in page.url:
            assert time.monotonic() < deadline, "the page never reconnected"
            click_node(page, "boss")
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(
                    "new URLSearchParams(location.search).get('role') === 'boss'",
                    timeout=3000,
                )
        wait_for_run(page)
        # still the saved catalogue, never the bundled one
        assert page.evaluate("window.careerGraph.body.data.nodes.length") == 2
        assert "catalogue=kept" in page.url
        expect(page.get_by_role("heading", name="Boss", level=3)).to_be_visible()
    finally:
        page.close()
        stop_app(process)
