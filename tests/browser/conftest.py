"""Browser fixtures: the app under `streamlit run` and headless Debian Chromium.

A missing Chromium is a failure, not a skip: these tests are the only check
that the graph really draws and clicks in a browser.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from graph.workspace import DB_ENV
from tests.conftest import REPO
from ui.devserver import CHROMIUM_ARGS, start_app, stop_app

SCREENSHOTS = REPO / "screenshots"
# A rerun on a loaded machine (CI installing packages next door) can take
# longer than expect()'s 5 s default; a real failure still fails, later.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def workspace_db(tmp_path_factory) -> str:
    """The browser tests' own workspace database, never the user's."""
    return f"sqlite:///{tmp_path_factory.mktemp('workspace') / 'workspace.sqlite'}"


@pytest.fixture(scope="session")
def app_url(workspace_db) -> Iterator[str]:
    process, url = start_app(env={DB_ENV: workspace_db})
    yield url
    stop_app(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.careerGraph !== undefined")
    page.wait_for_function("window.careerGraph.body.data.nodes.length > 0")


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
