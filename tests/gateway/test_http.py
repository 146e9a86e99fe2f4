"""HTTP routes against a real gateway on loopback, with httpx as the client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import attrs
import httpx
import pytest
import structlog.testing
import trio
import trio.testing

import actorkit
from actorkit.gateway import HttpRequest, HttpResponse, Refused, RouteError, gateway, route
from actorkit.servers import Call

from .conftest import client, serving


def hello(proc: actorkit.Process, request: HttpRequest) -> str:
    return f"hello {request.params['name']}{request.query.get('punct', '')}"


async def echo_json(proc: actorkit.Process, request: HttpRequest) -> object:
    return {"got": request.json(), "by": str(proc.pid) != ""}


async def orders(proc: actorkit.Process) -> None:
    """A process that answers the gateway's requests: its handler is a process."""
    count = 0
    async for msg in proc.messages():
        if isinstance(msg, actorkit.Request) and isinstance(msg.payload, HttpRequest):
            count += 1
            body = msg.payload.json()
            proc.reply(msg, HttpResponse.json({"order": count, "item": body["item"]}, 201))


@attrs.frozen
class Value(Call[int]):
    pass


class Counter(actorkit.Server[int]):
    def init(self, proc: actorkit.Process) -> int:
        return 0

    def handle_call(self, request: object, state: int) -> tuple[object, int]:
        assert isinstance(request, HttpRequest)
        if request.method == "POST":
            return {"count": state + 1}, state + 1
        return {"count": state}, state


async def test_gateway_routes_to_a_function_with_params_and_query() -> None:
    routes = [route("GET", "/hello/{name}", hello), route("POST", "/echo", echo_json)]
    async with serving(routes) as (_, base), client(base) as http:
        got = await http.get("/hello/ada", params={"punct": "!"})
        assert (got.status_code, got.text) == (200, "hello ada!")
        assert got.headers["content-type"].startswith("text/plain")
        posted = await http.post("/echo", json={"a": [1, 2]})
        assert posted.json() == {"got": {"a": [1, 2]}, "by": True}


async def test_gateway_routes_to_a_process_with_request_reply() -> None:
    async with serving([route("POST", "/orders", process="orders")]) as (node, base):
        node.spawn(orders, name="orders")
        async with client(base) as http:
            first = await http.post("/orders", json={"item": "tea"})
            second = await http.post("/orders", json={"item": "cake"})
    assert first.status_code == 201
    assert [first.json(), second.json()] == [
        {"order": 1, "item": "tea"},
        {"order": 2, "item": "cake"},
    ]


async def test_gateway_routes_to_a_server() -> None:
    routes = [route("GET", "/count", server="counter"), route("POST", "/count", server="counter")]
    async with serving(routes) as (node, base):
        node.spawn(Counter.serve, name="counter")
        async with client(base) as http:
            await http.post("/count")
            await http.post("/count")
            got = await http.get("/count")
    assert got.json() == {"count": 2}


async def test_gateway_answers_404_and_405() -> None:
    async with serving([route("GET", "/hello/{name}", hello)]) as (_, base), client(base) as http:
        missing = await http.get("/nowhere")
        wrong = await http.delete("/hello/ada")
    assert missing.status_code == 404
    assert wrong.status_code == 405
    assert missing.json() == {"error": "no route for this path"}


async def test_gateway_refuses_a_body_over_the_limit_with_413() -> None:
    routes = [route("POST", "/echo", echo_json), route("POST", "/big", echo_json, max_body=10)]
    async with serving(routes, max_body=64) as (_, base), client(base) as http:
        declared = await http.post("/echo", content=b"x" * 100)
        small_route = await http.post("/big", json={"k": "0123456789"})

        async def chunks() -> AsyncIterator[bytes]:  # no content-length: counted as it comes
            for _ in range(10):
                yield b"y" * 10

        streamed = await http.post("/echo", content=chunks())
        fits = await http.post("/echo", json=[1])
    assert [declared.status_code, small_route.status_code, streamed.status_code] == [413] * 3
    assert fits.status_code == 200


async def test_gateway_answers_504_when_a_handler_is_too_slow() -> None:
    never = trio.Event()

    cleaned: list[str] = []

    async def stuck(proc: actorkit.Process, request: HttpRequest) -> str:
        try:
            await never.wait()
        finally:
            cleaned.append("cancelled")  # the timeout cancels the handler, not only the wait
        return "never"

    async def stuck_process(proc: actorkit.Process) -> None:
        await proc.receive(topic="never sent")  # the request stays queued, unanswered

    routes = [
        route("GET", "/fn", stuck, timeout=0.2),
        route("GET", "/proc", process="stuck", timeout=0.2),
    ]
    async with serving(routes) as (node, base), client(base) as http:
        node.spawn(stuck_process, name="stuck")
        with structlog.testing.capture_logs() as logs:
            by_fn = await http.get("/fn")
            by_proc = await http.get("/proc")
        borrowed = [p for p in node.statistics().processes if p.function == "<borrowed>"]
    assert (by_fn.status_code, by_proc.status_code) == (504, 504)
    assert cleaned == ["cancelled"]
    assert borrowed == []  # each request's process exited with its request
    assert [e["event"] for e in logs].count("gateway_timeout") == 2


async def test_gateway_answers_500_and_logs_when_a_handler_crashes() -> None:
    def broken(proc: actorkit.Process, request: HttpRequest) -> str:
        raise ValueError("bad order 7")

    async def crashing(proc: actorkit.Process) -> None:
        await proc.receive()
        raise RuntimeError("process died mid-request")

    async def refuses(proc: actorkit.Process) -> None:
        msg = await proc.receive()
        proc.reply(msg, error=LookupError("no such order"))

    routes = [
        route("GET", "/fn", broken),
        route("GET", "/proc", process="crashing"),
        route("GET", "/refuses", process="refuses"),
    ]
    async with serving(routes) as (node, base), client(base) as http:
        node.spawn(crashing, name="crashing")
        node.spawn(refuses, name="refuses")
        with structlog.testing.capture_logs() as logs:
            by_fn = await http.get("/fn")
            by_proc = await http.get("/proc")
            after = await http.get("/proc")  # the process is gone now
            replied_error = await http.get("/refuses")
    statuses = [r.status_code for r in (by_fn, by_proc, after, replied_error)]
    assert statuses == [500, 500, 503, 500]
    failed = [e for e in logs if e["event"] == "gateway_handler_failed"]
    assert "bad order 7" in failed[0]["error"]
    assert "RequestFailedError" in failed[1]["error"]
    assert "no such order" in failed[2]["error"]


async def test_gateway_answers_503_over_a_route_concurrency_limit() -> None:
    entered, release = trio.Event(), trio.Event()

    async def slow(proc: actorkit.Process, request: HttpRequest) -> str:
        entered.set()
        await release.wait()
        return "done"

    statuses: list[int] = []
    async with serving([route("GET", "/slow", slow, concurrency=1)]) as (_, base):
        async with client(base) as http, trio.open_nursery() as nursery:

            async def first() -> None:
                statuses.append((await http.get("/slow")).status_code)

            nursery.start_soon(first)
            await entered.wait()
            statuses.append((await http.get("/slow")).status_code)
            release.set()
        async with client(base) as http:
            statuses.append((await http.get("/slow")).status_code)
    assert statuses == [503, 200, 200]


async def test_gateway_auth_seam_gives_identity_or_401() -> None:
    def check(token: str | None) -> object:
        if token == "secret":
            return "ada"
        if token is None:
            return None
        raise Refused("unknown token")

    def whoami(proc: actorkit.Process, request: HttpRequest) -> str:
        return str(request.identity)

    routes = [route("GET", "/me", whoami, auth=check)]
    async with serving(routes) as (_, base), client(base) as http:
        ok = await http.get("/me", headers={"Authorization": "Bearer secret"})
        none = await http.get("/me")
        bad = await http.get("/me", headers={"Authorization": "Bearer nope"})
    assert (ok.status_code, ok.text) == (200, "ada")
    assert (none.status_code, bad.status_code) == (401, 401)
    assert bad.json() == {"error": "unknown token"}


async def test_gateway_speaks_http2() -> None:
    routes = [route("GET", "/hello/{name}", hello)]
    async with serving(routes) as (_, base), client(base, http1=False, http2=True) as http:
        got = await http.get("/hello/h2")
    assert (got.http_version, got.text) == ("HTTP/2", "hello h2")


async def test_gateway_drains_requests_in_flight_on_shutdown() -> None:
    entered, release = trio.Event(), trio.Event()

    async def slow(proc: actorkit.Process, request: HttpRequest) -> str:
        entered.set()
        await release.wait()
        return "finished"

    got: list[httpx.Response] = []

    async def request(base: str) -> None:
        async with client(base) as http:
            got.append(await http.get("/slow"))

    async def release_once_draining() -> None:
        await trio.testing.wait_all_tasks_blocked(cushion=0.05)
        release.set()

    async with trio.open_nursery() as nursery, serving([route("GET", "/slow", slow)]) as (_, base):
        nursery.start_soon(request, base)
        await entered.wait()
        nursery.start_soon(release_once_draining)  # runs while the node shuts down
    assert [(r.status_code, r.text) for r in got] == [(200, "finished")]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"method": "FETCH", "path": "/x", "handler": hello}, "method"),
        ({"method": "GET", "path": "x", "handler": hello}, "path"),
        ({"method": "GET", "path": "/{a}/{a}", "handler": hello}, "path"),
        ({"method": "GET", "path": "/{a-b}", "handler": hello}, "path"),
        ({"method": "GET", "path": "/x"}, "handler"),
        ({"method": "GET", "path": "/x", "handler": hello, "process": "p"}, "handler"),
        ({"method": "GET", "path": "/x", "handler": hello, "timeout": 0}, "timeout"),
        ({"method": "GET", "path": "/x", "handler": hello, "max_body": -1}, "max_body"),
        ({"method": "GET", "path": "/x", "handler": hello, "concurrency": 0}, "concurrency"),
    ],
)
def test_route_rejects_bad_fields(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(RouteError) as caught:
        route(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert f"route {kwargs['method']} {kwargs['path']}" in str(caught.value)


def test_gateway_rejects_what_is_not_a_route() -> None:
    with pytest.raises(RouteError, match="routes"):
        gateway([("GET", "/x", hello)])  # type: ignore[list-item]
