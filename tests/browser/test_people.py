"""Planning a person in real Chromium: create them, see their readiness and
suggestions, save a plan, reload, export it as a PDF, find them in succession."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_app, screenshot
from ui.devserver import wait_for_run

pytestmark = pytest.mark.browser

NAME = "Robin Browser (fictional)"
RATINGS = {
    "Organisation": 4,
    "Attention to detail": 3,
    "Office and administrative software": 4,
    "Task-focused communication": 3,
    "Leadership": 2,
    "Data analysis": 2,
}


def choose(page: Page, label: str, option: str) -> None:
    wait_for_run(page)
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)  # filters the list, as a user types
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_run(page)


def open_people(page: Page) -> None:
    page.get_by_role("tab", name="People").click()
    expect(page.get_by_role("combobox", name="Person")).to_be_visible()
    wait_for_run(page)


def test_plan_a_person_from_creation_to_succession(page: Page, app_url: str, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.fail("poppler-utils is not installed: apt-get install poppler-utils")
    open_app(page, app_url)
    open_people(page)
    # 1. create a person: current role, a target, six skill ratings
    # the browser tests' workspace holds no people yet: the form is for a new one
    name = page.get_by_role("textbox", name="Display name")
    name.fill(NAME)
    name.press("Enter")
    choose(page, "Current role", "Operations Assistant")
    choose(page, "Target roles", "Operations Manager")
    page.keyboard.press("Escape")
    for skill, value in RATINGS.items():
        box = page.get_by_role("spinbutton", name=skill, exact=True)
        box.fill(str(value))
        box.press("Enter")
        wait_for_run(page)
    screenshot(page, "people-1-profile")
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_text(f"Saved {NAME}.")).to_be_visible()
    wait_for_run(page)

    # 2. readiness for Operations Manager, with the gaps:
    # (1 of 4 + 2 of 4 + 0 + 0 + 2 of 1) / (4 + 4 + 1 + 1 + 1) = 3/11
    expect(page.get_by_text("27%", exact=True)).to_be_visible()
    gaps = page.locator("[data-testid='stDataFrame']").filter(has_text="needed")
    expect(gaps).to_contain_text("Deep knowledge of operational processes")
    page.get_by_text("Readiness for").scroll_into_view_if_needed()
    screenshot(page, "people-2-readiness")

    # 3. ranked suggestions
    suggestions = page.locator("[data-testid='stDataFrame']").filter(has_text="moves")
    expect(suggestions).to_contain_text("Operations Manager")
    suggestions.scroll_into_view_if_needed()
    screenshot(page, "people-3-suggestions")

    # 4. a plan with two actions, saved, still there after a reload
    page.get_by_role("button", name="Start a plan from option 1").click()
    expect(page.get_by_text("Plan started")).to_be_visible()
    wait_for_run(page)
    page.get_by_role("textbox", name="Action for Leadership").fill(
        "Lead the weekly stand-up"
    )
    # the date field is react-aria's: year, month and day segments
    page.get_by_role("spinbutton", name="year, Target date for Leadership").click()
    page.keyboard.type("20270331")
    page.get_by_role("textbox", name="Action for Financial acumen").fill(
        "Shadow the budget review"
    )
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("Plan saved (revision 2).")).to_be_visible()
    wait_for_run(page)
    page.reload()
    page.wait_for_function("window.careerGraph !== undefined")
    open_people(page)  # the reload kept the tab; the only person is selected
    expect(page.get_by_text("Operations Assistant · 6 skill(s) rated")).to_be_visible()
    action = page.get_by_role("textbox", name="Action for Leadership")
    expect(action).to_have_value("Lead the weekly stand-up")
    due = page.get_by_role("group", name="Target date for Leadership")
    expect(due).to_contain_text("2027")
    expect(due).to_contain_text("31")
    action.scroll_into_view_if_needed()
    screenshot(page, "people-4-plan-after-reload")

    # 5. the plan as a PDF, rendered to an image
    with page.expect_download() as download:
        page.get_by_role("button", name="Download (PDF)").click()
    pdf = tmp_path / "plan.pdf"
    download.value.save_as(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True
    )
    page_image = tmp_path / "page-1.png"
    assert page_image.stat().st_size > 5_000
    shutil.copy(page_image, screenshot_path("people-5-plan-pdf"))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Development plan: {NAME}" in text
    assert "Lead the weekly stand-up" in text and "2027-03-31" in text

    # 6. in the succession view of Operations Manager (the selected role)
    page.get_by_role("tab", name="Succession").click()
    successors = page.locator("[data-testid='stDataFrame']").filter(has_text="band")
    expect(successors).to_contain_text(NAME)
    wait_for_run(page)
    successors.scroll_into_view_if_needed()
    screenshot(page, "people-6-succession")


def screenshot_path(name: str):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def test_the_onet_catalogue_plans_people_too(page: Page, app_url: str, tmp_path):
    page.goto(
        app_url
        + "/?data=onet&role=First-Line%20Supervisors%20of%20Retail%20Sales%20Workers"
    )
    page.wait_for_function("window.careerGraph !== undefined")
    open_people(page)
    page.get_by_role("button", name="Add the fictional example people").click()
    expect(page.get_by_text("Added 3 fictional example people.")).to_be_visible()
    wait_for_run(page)
    # Casey, a registered nurse, towards Medical and Health Services Managers
    expect(page.get_by_text("Meets 7 of 23 skills", exact=False)).to_be_visible()
    page.get_by_role("button", name="Start a plan from option 1").click()
    expect(page.get_by_text("Plan started")).to_be_visible()
    wait_for_run(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download (PDF)").click()
    pdf = tmp_path / "plan.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert (
        "Towards Medical and Health Services Managers, from Registered Nurses" in text
    )
    page.get_by_role("tab", name="Succession").click()
    successors = page.locator("[data-testid='stDataFrame']").filter(has_text="band")
    expect(successors).to_contain_text("Taylor Brooks (fictional)")
    screenshot(page, "people-onet-succession")
