"""The explorer in real headless Chromium: draw, click, follow links, stay offline."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_app, screenshot
from ui.devserver import click_node

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def card_heading(page: Page, title: str):
    return page.get_by_role("heading", name=title, exact=True)


def wait_for_selected_node(page: Page, role: str) -> None:
    """Wait until the graph highlights ``role``: the component draws the new
    selection in its own render, which can come just after the card's."""
    page.wait_for_function(
        "(role) => { const s = window.careerGraph.getSelectedNodes();"
        " return s.length === 1 && s[0] === role; }",
        arg=role,
    )


def test_page_draws_the_graph_and_stays_offline(page: Page, app_url: str):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_app(page, app_url)
    assert page.evaluate("window.careerGraph.body.data.nodes.length") == 13
    expect(card_heading(page, "Operations Manager")).to_be_visible()
    screenshot(page, "home-1400")
    hosts = {urlparse(url).hostname for url in requests if url.startswith("http")}
    assert hosts <= LOCAL_HOSTS, hosts
    assert not [
        u
        for u in requests
        if u.startswith(("ws:", "wss:")) and urlparse(u).hostname not in LOCAL_HOSTS
    ]


def test_clicking_a_node_selects_the_role(page: Page, app_url: str):
    open_app(page, app_url)
    click_node(page, "operations-lead")
    expect(card_heading(page, "Operations Lead")).to_be_visible()
    page.wait_for_function("location.search.includes('role=operations-lead')")
    wait_for_selected_node(page, "operations-lead")
    # the click redraws the explorer alone, the sidebar's box with it
    selected = page.get_by_role("combobox", name="Selected role")
    expect(selected).to_have_value("Operations Lead (Ops Lead)")
    screenshot(page, "clicked-operations-lead")
    # a pick in the sidebar's box selects the role everywhere
    selected.fill("team leadr")
    expect(page.get_by_role("option").first).to_contain_text("Team Leader")
    selected.press("Enter")
    expect(card_heading(page, "Team Leader")).to_be_visible()
    page.wait_for_function("location.search.includes('role=team-leader')")
    wait_for_selected_node(page, "team-leader")


def test_a_click_redraws_a_tab_that_shows_the_selection(page: Page, app_url: str):
    open_app(page, app_url)
    page.get_by_role("tab", name="Reporting line").click()
    chain = page.locator("p", has_text="Chain of command:")
    expect(chain).to_contain_text("Chief Operating Officer › Operations Manager")
    click_node(page, "operations-assistant")
    expect(card_heading(page, "Operations Assistant")).to_be_visible()
    expect(chain).to_contain_text("Operations Manager › Operations Assistant")


def test_selection_change_keeps_zoom_and_pan(page: Page, app_url: str):
    open_app(page, app_url)
    page.evaluate(
        """() => {
            const net = window.careerGraph;
            const id = "chief-operating-officer";
            net.moveTo({scale: 1.6, position: net.getPositions([id])[id]});
        }"""
    )
    before = page.evaluate(
        "[window.careerGraph.getScale(), window.careerGraph.getViewPosition()]"
    )
    click_node(page, "chief-operating-officer")
    expect(card_heading(page, "Chief Operating Officer")).to_be_visible()
    page.get_by_role("radio", name="↑ Chief Executive Officer").first.click()
    expect(card_heading(page, "Chief Executive Officer")).to_be_visible()
    after = page.evaluate(
        "[window.careerGraph.getScale(), window.careerGraph.getViewPosition()]"
    )
    assert after[0] == pytest.approx(before[0])
    assert after[1]["x"] == pytest.approx(before[1]["x"], abs=1)
    assert after[1]["y"] == pytest.approx(before[1]["y"], abs=1)


def test_clicking_the_same_role_again_after_another_selection(page: Page, app_url: str):
    open_app(page, app_url)
    click_node(page, "operations-lead")
    expect(card_heading(page, "Operations Lead")).to_be_visible()
    page.get_by_role("radio", name="↑ Operations Manager").first.click()
    expect(card_heading(page, "Operations Manager")).to_be_visible()
    click_node(page, "operations-lead")
    expect(card_heading(page, "Operations Lead")).to_be_visible()


def test_deep_link_role(page: Page, app_url: str):
    open_app(page, f"{app_url}/?role=team-leader")
    expect(card_heading(page, "Team Leader")).to_be_visible()
    wait_for_selected_node(page, "team-leader")


def test_deep_link_path_through_director(page: Page, app_url: str):
    open_app(page, f"{app_url}/?from=operations-assistant&to=chief-operating-officer")
    # the option's heading above its steps, and its choice in the highlight radio
    expect(
        page.get_by_role("strong").filter(has_text="Option 3: 3 steps")
    ).to_be_visible()
    expect(page.get_by_role("radio", name="Option 1: 2 steps")).to_be_checked()
    expect(
        page.get_by_text("Director of Operations → Chief Operating Officer")
    ).to_have_count(2)
    screenshot(page, "deep-link-path")


def test_deep_link_compare(page: Page, app_url: str):
    open_app(page, f"{app_url}/?compare=operations-lead,operations-manager")
    expect(
        page.get_by_text("Operations Lead reports to Operations Manager")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Budget oversight")).to_be_visible()
    screenshot(page, "deep-link-compare")
    assert "compare=operations-lead" in page.url


def test_narrow_window_still_shows_graph_and_card(browser, app_url: str):
    context = browser.new_context(viewport={"width": 640, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    open_app(page, f"{app_url}/?role=operations-assistant")
    expect(card_heading(page, "Operations Assistant")).to_be_visible()
    width = page.evaluate("window.careerGraph.body.container.clientWidth")
    assert 300 < width <= 640
    screenshot(page, "narrow-640")
    context.close()


#: vis-network draws labels at this size (graph.render) times the zoom.
NODE_FONT_PX = 18


@pytest.mark.parametrize(
    "query",
    [
        "",  # the operations catalogue: every role, on its landing role
        "?data=onet",  # O*NET: the neighbourhood of the named landing role
        "?data=onet&role=Registered%20Nurses",  # a dense neighbourhood
    ],
)
def test_default_views_draw_labels_at_least_11_px(page: Page, app_url: str, query):
    page.goto(app_url + query)
    page.wait_for_function("window.careerGraph !== undefined")
    page.wait_for_function("window.careerGraph.body.data.nodes.length > 1")
    scale = page.evaluate("window.careerGraph.getScale()")
    assert NODE_FONT_PX * scale >= 11, f"labels {NODE_FONT_PX * scale:.1f} px"
    screenshot(page, f"labels{query.replace('?', '-').replace('&', '-')[:40]}")


#: Each drawn route's segments against vis-network's own box of every role
#: the edge does not connect (Liang-Barsky clipping, 1 px inside the border).
#: getBoundingBox pads a box by its corner radius (for clicks on the corners),
#: so the drawn box is that box less the radius.
CROSSINGS_JS = """(graph) => {
    const net = window[graph];
    const edges = net.body.data.edges.get();
    const ids = net.body.data.nodes.getIds();
    const boxes = ids.map((id) => {
        const b = net.getBoundingBox(id);
        const shape = net.body.data.nodes.get(id).shapeProperties || {};
        const pad = shape.borderRadius || 0;
        return [id, {left: b.left + pad, right: b.right - pad,
                     top: b.top + pad, bottom: b.bottom - pad}];
    });
    const enters = ([x0, y0], [x1, y1], b) => {
        const dx = x1 - x0, dy = y1 - y0;
        let low = 0, high = 1;
        for (const [p, q] of [[-dx, x0 - b.left - 1], [dx, b.right - 1 - x0],
                              [-dy, y0 - b.top - 1], [dy, b.bottom - 1 - y0]]) {
            if (p === 0) { if (q <= 0) return false; }
            else if (p < 0) low = Math.max(low, q / p);
            else high = Math.min(high, q / p);
        }
        return low < high;
    };
    const crossed = [];
    for (const edge of edges) {
        const points = edge.points;
        for (let i = 1; i < points.length; i += 1) {
            for (const [id, box] of boxes) {
                if (id !== edge.from && id !== edge.to
                    && enters(points[i - 1], points[i], box)) {
                    crossed.push(`${edge.id} through ${id}`);
                }
            }
        }
    }
    const drawn = edges.filter((edge) => edge.points.length >= 2).length;
    return {crossed, edges: edges.length, drawn};
}"""


@pytest.mark.parametrize(
    "query",
    [
        "",  # the operations catalogue, every role: the four crossings
        "?from=operations-assistant&to=chief-executive-officer",  # a path shown
        "?tab=reporting",  # the main graph while the org view is open
        "?data=onet",  # O*NET's landing neighbourhood, with "+N more" nodes
        "?data=onet&role=Registered%20Nurses",  # a dense neighbourhood
    ],
)
def test_no_edge_passes_through_a_box_it_does_not_connect(
    page: Page, app_url: str, query
):
    open_app(page, app_url + query)
    result = page.evaluate(CROSSINGS_JS, "careerGraph")
    assert result["edges"] > 0 and result["drawn"] == result["edges"]
    assert result["crossed"] == []
    screenshot(page, f"routes{query.replace('?', '-').replace('&', '-')[:40]}")


def test_hovering_a_line_says_what_relation_it_is(page: Page, app_url: str):
    open_app(page, app_url)
    # the middle of the longest segment of the skip-level promotion's route
    point = page.evaluate(
        """() => {
            const net = window.careerGraph;
            const edge = net.body.data.edges.get(
                "operations-assistant|operations-manager|promotion");
            const segments = edge.points.slice(1).map((b, i) => [edge.points[i], b]);
            const [a, b] = segments.sort((s, t) =>
                Math.hypot(t[1][0] - t[0][0], t[1][1] - t[0][1])
                - Math.hypot(s[1][0] - s[0][0], s[1][1] - s[0][1]))[0];
            const dom = net.canvasToDOM({x: (a[0] + b[0]) / 2, y: (a[1] + b[1]) / 2});
            const box = net.body.container.getBoundingClientRect();
            return {x: box.left + dom.x, y: box.top + dom.y};
        }"""
    )
    page.mouse.move(point["x"], point["y"])
    tip = page.locator(".cg-edge-tip").first
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Operations Assistant → Operations Manager")
    page.mouse.move(5, 5)
    expect(tip).to_be_hidden()


def test_more_node_brings_the_next_closest_roles(page: Page, app_url: str):
    page.goto(app_url + "?data=onet&role=Registered%20Nurses")
    page.wait_for_function("window.careerGraph !== undefined")
    page.wait_for_function("window.careerGraph.body.data.nodes.get('more:29-1141.00')")
    before = page.evaluate("window.careerGraph.body.data.nodes.length")
    label = page.evaluate(
        "window.careerGraph.body.data.nodes.get('more:29-1141.00').label"
    )
    click_node(page, "more:29-1141.00")
    page.wait_for_function(
        f"window.careerGraph.body.data.nodes.length > {before}", timeout=30_000
    )
    after_label = page.evaluate(
        "window.careerGraph.body.data.nodes.get('more:29-1141.00').label"
    )
    # eight more of the roles it stands for are drawn, and it counts down
    hidden = int(label.split()[0].lstrip("+"))
    assert after_label == f"+{hidden - 8} more"
    expect(card_heading(page, "Registered Nurses")).to_be_visible()  # still selected
    screenshot(page, "onet-more-expanded")


def test_back_and_forward_replay_the_view_and_tabs_keep_their_state(
    page: Page, app_url: str
):
    open_app(page, app_url)
    click_node(page, "operations-lead")
    expect(card_heading(page, "Operations Lead")).to_be_visible()
    page.wait_for_function("location.search.includes('role=operations-lead')")
    page.get_by_role("tab", name="Plan a path").click()
    page.wait_for_function("location.search.includes('tab=plan')")
    click_node(page, "team-leader")
    expect(card_heading(page, "Team Leader")).to_be_visible()
    page.wait_for_function("location.search.includes('role=team-leader')")

    page.go_back()  # the selection before: Operations Lead, still on Plan a path
    expect(card_heading(page, "Operations Lead")).to_be_visible()
    assert "tab=plan" in page.evaluate("location.search")
    expect(page.get_by_role("tab", name="Plan a path")).to_have_attribute(
        "aria-selected", "true"
    )
    page.go_back()  # before the tab switch
    expect(page.get_by_role("tab", name="Compare")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(card_heading(page, "Operations Lead")).to_be_visible()
    page.go_forward()
    page.go_forward()
    expect(card_heading(page, "Team Leader")).to_be_visible()
    wait_for_selected_node(page, "team-leader")
    # a reload restores the same view
    page.reload()
    page.wait_for_function("window.careerGraph !== undefined")
    expect(card_heading(page, "Team Leader")).to_be_visible()
    expect(page.get_by_role("tab", name="Plan a path")).to_have_attribute(
        "aria-selected", "true"
    )


def test_fit_shows_the_whole_graph_again(page: Page, app_url: str):
    open_app(page, app_url)
    fitted = page.evaluate("window.careerGraph.getScale()")
    page.evaluate("window.careerGraph.moveTo({scale: 2.5})")
    page.get_by_role("button", name="Fit").click()
    page.wait_for_function(
        f"Math.abs(window.careerGraph.getScale() - {fitted}) < 0.01", timeout=5_000
    )


def test_role_pickers_find_roles_by_alias_and_typo(page: Page, app_url: str):
    open_app(page, app_url)
    page.get_by_role("tab", name="Plan a path").click()
    picker = page.get_by_role("combobox", name="To")
    # a click lists every role of a small catalogue to browse
    picker.click()
    expect(page.get_by_role("option")).to_have_count(13)
    picker.fill("COO")
    first = page.get_by_role("option").first
    expect(first).to_have_text("COO · Chief Operating Officer")
    # swapped letters: nothing matches, so the closest spellings are offered
    picker.fill("cheif operating")
    expect(page.get_by_text("No close match; did you mean:")).to_be_visible()
    expect(first).to_have_text("COO · Chief Operating Officer")
    picker.press("Enter")
    expect(page.get_by_text("Option 1:").first).to_be_visible()
    page.wait_for_function("location.search.includes('to=chief-operating-officer')")
    expect(picker).to_have_value("COO · Chief Operating Officer")
    screenshot(page, "picker-typo")


def test_enter_before_the_hits_arrive_picks_what_was_typed(page: Page, app_url):
    open_app(page, app_url)
    page.get_by_role("tab", name="Compare").click()
    picker = page.get_by_role("combobox", name="Role B")
    picker.focus()
    # typed and entered at once: the server resolves the text itself
    page.keyboard.type("warehose manger", delay=0)
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('warehouse-manager')")
    expect(picker).to_have_value("Warehouse Manager (Warehouse Mgr)")


def test_keyboard_walks_neighbours_and_enter_selects(page: Page, app_url: str):
    open_app(page, app_url)
    canvas = page.locator(".cg-canvas")
    canvas.focus()
    canvas.press("ArrowRight")
    label = canvas.get_attribute("aria-label")
    assert label.startswith("Career graph: ") and label.endswith(
        "press Enter to select it"
    )
    chosen = label.removeprefix("Career graph: ").split(";")[0]
    assert chosen != "Operations Manager"
    canvas.press("Enter")
    expect(card_heading(page, chosen)).to_be_visible()
    # focus stays on the graph (inside the component's shadow root), so the
    # walk goes on from the new role
    page.wait_for_function(
        """() => {
            const host = document.activeElement;
            const inner = host && host.shadowRoot && host.shadowRoot.activeElement;
            return inner && inner.classList.contains("cg-canvas");
        }"""
    )
    canvas.press("ArrowRight")
    assert canvas.get_attribute("aria-label").endswith("press Enter to select it")


def test_compare_with_brings_the_compare_tab_into_view(page: Page, app_url: str):
    open_app(page, app_url)
    compare_tab = page.get_by_role("tab", name="Compare")
    page.get_by_role("button", name="Compare with…").click()
    expect(page.get_by_role("combobox", name="Role B")).to_be_in_viewport()
    expect(compare_tab).to_be_in_viewport()


def test_a_tab_switch_asks_before_dropping_unsaved_edits(page: Page, app_url: str):
    open_app(page, f"{app_url}/?tab=data")
    # what the app sends while the edit grids hold changes (an AppTest checks
    # that it does)
    page.evaluate("window.__careerGraphUnsavedTab = 'Your data'")
    answers = iter(["dismiss", "accept"])
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.message)
        getattr(dialog, next(answers))()

    page.on("dialog", answer)
    compare = page.get_by_role("tab", name="Compare")
    compare.click()
    expect(page.get_by_role("tab", name="Your data")).to_have_attribute(
        "aria-selected", "true"
    )
    assert "Your edits in Your data are not saved" in asked[0]
    compare.click()  # accepted this time
    expect(compare).to_have_attribute("aria-selected", "true")
    assert len(asked) == 2
