"""The live web view in a real browser: headless Chromium, driven by Selenium, watches a node.

Needs Debian's ``chromium`` and ``chromium-driver`` (or any Chrome and chromedriver on the
PATH; ``CHROMIUM``/``CHROMEDRIVER`` name them elsewhere) and the ``selenium`` package. Skips
without them, fails instead when ``ACTORKIT_REQUIRE_SERVICES=1``. The browser is a real peer,
so these tests run in real time: every wait polls the page's DOM with a bounded timeout.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncGenerator, Callable, Iterator
from typing import Any

import pytest
import trio

import actorkit
from actorkit.observer.web import web_address, web_view
from actorkit.testing import services_required

try:
    from selenium import webdriver
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.wait import WebDriverWait
except ImportError:
    if services_required():
        raise  # the test extra lists selenium: a run that requires services must have it
    pytest.skip("selenium is not installed (pip install actorkit[test])", allow_module_level=True)

WAIT = 10.0  # seconds: a bound on each wait for the page, never a pause


def _missing(reason: str) -> None:
    if services_required():
        pytest.fail(reason)
    pytest.skip(reason)


def _find(env_var: str, *names: str) -> str | None:
    if os.environ.get(env_var):
        return os.environ[env_var]
    return next((found for name in names if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    """One headless Chromium for the module (started before any Trio loop runs)."""
    binary = _find("CHROMIUM", "chromium", "chromium-browser", "google-chrome")
    driver_path = _find("CHROMEDRIVER", "chromedriver")
    if binary is None or driver_path is None:
        _missing(
            "headless browser tests need chromium and chromedriver "
            "(apt-get install chromium chromium-driver, or set CHROMIUM and CHROMEDRIVER)"
        )
    assert binary is not None and driver_path is not None
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


async def worker(proc: actorkit.Process) -> None:
    async for msg in proc.messages():
        if msg.topic == "crash":
            raise RuntimeError("asked to crash")


@pytest.fixture
async def page(browser: WebDriver) -> AsyncGenerator[tuple[actorkit.Node, WebDriver], None]:
    """A node with a supervisor over two children and a web view, open in the browser."""
    children = [actorkit.ChildSpec(name, worker, name=name) for name in ("alpha", "flaky")]
    sup = actorkit.Supervisor(children, backoff=actorkit.Backoff(initial=0))
    modules = [actorkit.supervision_tree("app", sup), web_view(port=0, interval=0.1)]
    async with actorkit.open_node(modules=modules) as node:
        host, port = web_address(node)
        await trio.to_thread.run_sync(browser.get, f"http://{host}:{port}/")
        await until(browser, lambda d: _text(d, "#link") == "live")
        yield node, browser
        # Leave the page before the node stops, so no reconnect loop outlives the test.
        await trio.to_thread.run_sync(browser.get, "about:blank")


async def until(driver: WebDriver, check: Callable[[WebDriver], Any]) -> Any:
    """Poll ``check`` on the page (in a worker thread) until it is truthy, at most ``WAIT``."""
    wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
    return await trio.to_thread.run_sync(wait.until, check)


def js(driver: WebDriver, script: str) -> Any:
    """Run ``script`` in the page and return its result (selenium leaves ``*args`` untyped)."""
    return driver.execute_script(script)  # pyright: ignore[reportUnknownMemberType]


def _text(driver: WebDriver, css: str) -> str:
    return str(js(driver, f"return document.querySelector({css!r}).textContent"))


# Each read is one script, so it sees one drawn snapshot (the page redraws in place, and
# element handles kept across a redraw go stale).
_ROWS = """
return Array.from(document.querySelectorAll("#procs tbody tr"), (row) => {
  const td = row.querySelectorAll("td");
  return [td[1].textContent, {pid: row.dataset.pid, pid_cell: td[0].textContent,
          status: td[2].textContent,
          restarts: td[5].textContent, restart_class: td[5].className}];
});
"""
_BOXES = """
return Array.from(document.querySelectorAll("#tree g[data-pid]"), (g) =>
  [g.querySelector("text").textContent, g.querySelector("rect").getAttribute("class")]);
"""


def rows(driver: WebDriver) -> dict[str, dict[str, str]]:
    """The process table: name → its cells (and the restart cell's class). ``pid`` is the
    row's ``data-pid``; ``pid_cell`` is what the PID column shows."""
    return dict(js(driver, _ROWS))


def boxes(driver: WebDriver) -> dict[str, str]:
    """The supervision tree's boxes: the name drawn in each box → its rect's class."""
    return dict(js(driver, _BOXES))


async def test_page_draws_the_tree_and_the_table(
    page: tuple[actorkit.Node, WebDriver],
) -> None:
    node, driver = page
    table = await until(driver, lambda d: {"app", "alpha", "flaky"} <= set(t := rows(d)) and t)
    drawn = await until(driver, lambda d: {"app", "alpha", "flaky"} <= set(b := boxes(d)) and b)
    assert drawn["app"] == "sup"  # a supervisor box, over its two children
    assert (drawn["alpha"], drawn["flaky"]) == ("", "")
    assert table["flaky"]["restarts"] == "0"
    assert "restarted" not in table["flaky"]["restart_class"]
    assert node.name in _text(driver, "#node")
    parents = js(
        driver,
        "const s = window.lastSnapshot; const by = (n) => s.processes.find((p) => p.name === n);"
        "return [by('alpha').parent, by('flaky').parent, by('app').pid];",
    )
    assert parents[0] == parents[1] == parents[2]


async def test_a_new_process_shows_up(page: tuple[actorkit.Node, WebDriver]) -> None:
    node, driver = page
    await until(driver, lambda d: "alpha" in rows(d))
    assert "newcomer" not in rows(driver)
    pid = node.spawn(worker, name="newcomer")
    table = await until(driver, lambda d: "newcomer" in (t := rows(d)) and t)
    assert table["newcomer"]["pid"] == str(pid)
    assert "newcomer" in await until(driver, boxes)


async def test_a_restarted_child_shows_its_restart_count(
    page: tuple[actorkit.Node, WebDriver],
) -> None:
    node, driver = page
    before = await until(driver, lambda d: "flaky" in (t := rows(d)) and t)
    await node.send("flaky", "crash")
    after = await until(
        driver, lambda d: (t := rows(d)).get("flaky", {}).get("restarts") == "1" and t
    )
    assert after["flaky"]["pid"] != before["flaky"]["pid"]
    assert "restarted" in after["flaky"]["restart_class"]
    assert after["alpha"]["restarts"] == "0"
    drawn = await until(driver, lambda d: "restarted" in boxes(d).get("flaky", "") and boxes(d))
    assert drawn["alpha"] == ""
    summary = _text(driver, "#summary .card.alert")
    assert summary.startswith("restarts") and summary.endswith("1")


async def test_the_pid_column_shows_the_pid_escaped(page: tuple[actorkit.Node, WebDriver]) -> None:
    _, driver = page
    table = await until(driver, lambda d: "alpha" in (t := rows(d)) and t)
    assert table["alpha"]["pid_cell"] == table["alpha"]["pid"]
