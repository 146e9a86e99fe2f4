"""The live web view: its page and files over HTTP, its snapshots over a websocket."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from typing import Any

import pytest
import trio
from trio_websocket import WebSocketConnection

import actorkit
from actorkit.gateway import RouteError
from actorkit.observer.web import parse_address, web_address, web_view

from .conftest import client, open_ws


async def worker(proc: actorkit.Process) -> None:
    async for msg in proc.messages():
        if msg.topic == "crash":
            raise RuntimeError("asked to crash")


@pytest.fixture
async def web_node() -> Any:
    tree = actorkit.supervision_tree(
        "app",
        actorkit.Supervisor(
            [actorkit.ChildSpec("flaky", worker, name="flaky")],
            backoff=actorkit.Backoff(initial=0),
        ),
    )
    async with actorkit.open_node(modules=[tree, web_view(port=0, interval=30)]) as node:
        yield node


def base_of(node: actorkit.Node) -> str:
    host, port = web_address(node)
    return f"http://{host}:{port}"


async def next_snapshot(conn: WebSocketConnection) -> dict[str, Any]:
    await conn.send_message("refresh")  # any frame asks for a snapshot now
    data: dict[str, Any] = json.loads(await conn.get_message())
    return data


async def test_web_view_serves_its_page_and_files_on_loopback(web_node: actorkit.Node) -> None:
    assert web_address(web_node)[0] == "127.0.0.1"
    async with client(base_of(web_node)) as http:
        page, script, style = (
            await http.get("/"),
            await http.get("/static/view.js"),
            await http.get("/static/view.css"),
        )
        missing = await http.get("/static/secret.py")
    assert page.headers["content-type"].startswith("text/html")
    assert 'id="tree"' in page.text
    assert "new WebSocket" in script.text
    assert script.headers["content-type"].startswith("text/javascript")
    assert style.status_code == 200
    assert missing.status_code == 404


async def test_web_view_pushes_snapshots_with_the_processes(web_node: actorkit.Node) -> None:
    url = base_of(web_node).replace("http://", "ws://") + "/ws"
    async with open_ws(url) as conn:
        first: dict[str, Any] = json.loads(await conn.get_message())
    names = {p["name"] for p in first["processes"]}
    assert {"app", "flaky"} <= names
    flaky = next(p for p in first["processes"] if p["name"] == "flaky")
    app = next(p for p in first["processes"] if p["name"] == "app")
    assert flaky["parent"] == app["pid"]
    assert any(app["pid"] == root["pid"] for root in first["tree"])
    assert {"mailbox", "message_rate", "restarts", "status"} <= set(flaky)
    assert first["node"] == web_node.name


async def test_web_view_counts_a_restart_per_child(web_node: actorkit.Node) -> None:
    url = base_of(web_node).replace("http://", "ws://") + "/ws"
    async with open_ws(url) as conn:
        before = json.loads(await conn.get_message())
        old = next(p["pid"] for p in before["processes"] if p["name"] == "flaky")
        await web_node.send("flaky", "crash")
        await web_node.wait(_pid(web_node, old))
        snap = await next_snapshot(conn)
        while not any(p["name"] == "flaky" for p in snap["processes"]):
            await trio.testing.wait_all_tasks_blocked()
            snap = await next_snapshot(conn)
    flaky = next(p for p in snap["processes"] if p["name"] == "flaky")
    assert flaky["pid"] != old
    assert (flaky["restarts"], snap["restarts"]) == (1, 1)


async def test_web_view_shows_command_rates_by_module(web_node: actorkit.Node) -> None:
    async def chatty(proc: actorkit.Process) -> None:
        for i in range(3):
            await proc.send(proc.pid, "note", i)

    url = base_of(web_node).replace("http://", "ws://") + "/ws"
    async with open_ws(url) as conn:
        first = json.loads(await conn.get_message())
        assert "command_rates_by_module" in first
        await web_node.wait(web_node.spawn(chatty))
        snap = await next_snapshot(conn)
    assert snap["command_rates_by_module"]["process"] > 0


def _pid(node: actorkit.Node, text: str) -> actorkit.PID:
    """``"<local.3>"`` back to a PID."""
    serial = int(text.strip("<>").rpartition(".")[2])
    return actorkit.PID(node.name, serial)


def test_parse_address_for_the_cli() -> None:
    assert parse_address(":8089") == ("127.0.0.1", 8089)
    assert parse_address("0.0.0.0:9000") == ("0.0.0.0", 9000)
    assert parse_address("[::1]:9000") == ("::1", 9000)
    with pytest.raises(RouteError, match="port"):
        parse_address("localhost")


def test_web_view_script_parses() -> None:
    """The page's script is plain JavaScript with no build step: node can parse it as is."""
    node_js = shutil.which("node")
    if node_js is None:
        pytest.skip("node is not installed: the script's syntax is checked where it is")
    script = resources.files("actorkit.observer.web") / "static" / "view.js"
    with resources.as_file(script) as path:
        command = [node_js, "--check", str(path)]
        done = subprocess.run(command, check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
