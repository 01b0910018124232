"""The org view, a phone, the keyboard and an accessibility scan in Chromium."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import open_app, screenshot
from tests.browser.test_explorer import CROSSINGS_JS, NODE_FONT_PX, card_heading
from ui.devserver import click_node, wait_for_run

pytestmark = pytest.mark.browser

#: How many of the graphs' box tooltips are showing (they live in the
#: components' shadow roots).
VISIBLE_TOOLTIPS_JS = """() => [...document.querySelectorAll('*')]
    .flatMap((e) => e.shadowRoot ? [...e.shadowRoot.querySelectorAll(
        'div.vis-tooltip')] : [])
    .filter((t) => getComputedStyle(t).display !== 'none'
                   && getComputedStyle(t).visibility !== 'hidden').length"""


def open_org_view(page: Page, url: str) -> None:
    open_app(page, url)
    page.get_by_role("tab", name="Reporting line").click()
    page.wait_for_function("window.orgGraph !== undefined")
    wait_for_run(page)


def org_nodes(page: Page) -> set[str]:
    return set(page.evaluate("window.orgGraph.body.data.nodes.getIds()"))


def test_the_org_view_opens_a_branch_and_exports_png_and_svg(page: Page, app_url: str):
    open_org_view(page, f"{app_url}/?role=chief-executive-officer")
    depth = page.get_by_label("Levels shown below")
    depth.fill("1")
    depth.press("Enter")
    page.wait_for_function(
        "window.orgGraph.body.data.nodes.get('more:operations-manager') !== null"
    )
    assert "operations-assistant" not in org_nodes(page)
    click_node(page, "more:operations-manager", graph="orgGraph")
    page.wait_for_function(
        "window.orgGraph.body.data.nodes.get('operations-assistant') !== null"
    )
    assert {"operations-assistant", "operations-lead"} <= org_nodes(page)
    # the "+N more" box is gone, and so is its tooltip
    assert page.evaluate(VISIBLE_TOOLTIPS_JS) == 0
    result = page.evaluate(CROSSINGS_JS, "orgGraph")
    assert result["edges"] == result["drawn"] > 0 and result["crossed"] == []
    screenshot(page, "org-view-opened")

    with page.expect_download() as png:
        page.get_by_role("button", name="PNG").click()
    assert png.value.suggested_filename == "org-chart-chief-executive-officer.png"
    assert open(png.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as svg:
        page.get_by_role("button", name="Download the org view (SVG)").click()
    root = ElementTree.parse(svg.value.path()).getroot()
    labels = " ".join(t.text for t in root.iter("{http://www.w3.org/2000/svg}tspan"))
    assert "Assistant" in labels and "Chief" in labels

    page.get_by_role("button", name="Collapse to 1 level").click()
    page.wait_for_function(
        "window.orgGraph.body.data.nodes.get('operations-assistant') === null"
    )


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_a_phone_walk(phone: Page, app_url: str):
    open_app(phone, app_url)
    # the graph says it is on a phone and is drawn again in rows of two
    expect(phone.locator(".cg-note").first).to_contain_text("tap a role")
    wait_for_run(phone)
    heading = card_heading(phone, "Operations Manager")
    canvas = phone.locator(".cg-canvas")
    # the card comes first, and is in view on landing
    assert heading.bounding_box()["y"] < canvas.bounding_box()["y"]
    expect(heading).to_be_in_viewport()
    # readable labels, the whole graph within the screen's width
    scale = phone.evaluate("window.careerGraph.getScale()")
    assert NODE_FONT_PX * scale >= 11, f"labels {NODE_FONT_PX * scale:.1f} px"
    inside = phone.evaluate(
        """() => {
            const net = window.careerGraph;
            const width = net.body.container.clientWidth;
            return net.body.data.nodes.getIds().every((id) => {
                const box = net.getBoundingBox(id);
                const left = net.canvasToDOM({x: box.left, y: box.top}).x;
                const right = net.canvasToDOM({x: box.right, y: box.top}).x;
                return left >= -1 && right <= width + 1;
            });
        }"""
    )
    assert inside
    # a swipe over the graph scrolls the page: neither drag nor zoom traps it
    interaction = phone.evaluate("window.careerGraph.interactionHandler.options")
    assert (interaction["dragView"], interaction["zoomView"]) == (False, False)
    assert canvas.evaluate("e => getComputedStyle(e).touchAction") == "pan-y"
    # a tap selects, and leaves no tooltip over the graph
    click_node(phone, "operations-lead")
    expect(card_heading(phone, "Operations Lead")).to_be_visible()
    assert phone.evaluate(VISIBLE_TOOLTIPS_JS) == 0
    # every tab within the screen's width: the bar wraps
    for tab in phone.get_by_role("tab").all():
        box = tab.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, tab.inner_text()
    phone.get_by_role("tab", name="Your data").click()
    expect(phone.get_by_role("tab", name="Your data")).to_have_attribute(
        "aria-selected", "true"
    )
    screenshot(phone, "phone-390-walk")


def test_the_skip_link_leads_to_the_role_card(page: Page, app_url: str):
    open_app(page, app_url)
    link = page.get_by_role("link", name="Skip to the role details")
    for _ in range(6):  # the skip link is among the very first stops
        page.keyboard.press("Tab")
        if link.evaluate("e => e === document.activeElement"):
            break
    expect(link).to_be_focused()
    expect(link).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # the next stop is the card's first control
    expect(page.get_by_role("button", name="Compare with…")).to_be_focused()


def test_a_keyboard_only_walk_from_landing_to_a_plan(page: Page, app_url: str):
    open_app(page, app_url)
    # into the graph: Tab until the canvas has the focus
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(
            """() => {
                const inner = document.activeElement?.shadowRoot?.activeElement;
                return Boolean(inner && inner.classList.contains('cg-canvas'));
            }"""
        ):
            break
    else:
        pytest.fail("Tab never reached the graph")
    # walk to a neighbour and select it
    walked = None
    for _ in range(13):
        page.keyboard.press("ArrowRight")
        label = page.locator(".cg-canvas").first.get_attribute("aria-label")
        if label.startswith("Career graph: Operations Assistant"):
            walked = label
            break
    assert walked, "the arrow keys never reached Operations Assistant"
    page.keyboard.press("Enter")
    expect(card_heading(page, "Operations Assistant")).to_be_visible()
    # on to the card's "Plan a path from here", by keyboard only
    plan = page.get_by_role("button", name="Plan a path from here")
    for _ in range(40):
        page.keyboard.press("Tab")
        if plan.evaluate("e => e === document.activeElement"):
            break
    expect(plan).to_be_focused()
    page.keyboard.press("Enter")
    target = page.get_by_role("combobox", name="To")
    expect(target).to_be_in_viewport()
    target.focus()
    page.keyboard.type("COO")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Option 1:").first).to_be_visible()
    page.wait_for_function("location.search.includes('to=chief-operating-officer')")
    # the plan is saved as a file, still by keyboard
    download = page.get_by_role("button", name="Download option 1 (Markdown)")
    download.focus()
    with page.expect_download() as plan_file:
        page.keyboard.press("Enter")
    text = open(plan_file.value.path(), encoding="utf-8").read()
    assert "Operations Assistant" in text and "Chief Operating Officer" in text


@pytest.mark.parametrize(
    "query",
    [
        "",  # landing: graph, card, Compare tab
        "?tab=plan&from=operations-assistant&to=chief-operating-officer",
        "?tab=people",
        "?tab=succession",
        "?tab=reporting",
        "?tab=table",
        "?tab=data",
        "?data=onet",
    ],
)
def test_no_serious_or_critical_accessibility_violations(
    page: Page, app_url: str, query
):
    open_app(page, app_url + query)
    wait_for_run(page)
    results = Axe().run(page).response
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
