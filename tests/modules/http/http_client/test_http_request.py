"""Request (60) against a real server on loopback: every option reaches the wire."""

from __future__ import annotations

import json
from typing import Any

import actorkit
from actorkit.modules import http

from ._server import Server, established_to


async def echo(hnode: actorkit.Node, cmd: http.Request) -> dict[str, Any]:
    async with hnode.process() as proc:
        response = await proc.call(cmd)
    assert response.status_code == 200
    seen: dict[str, Any] = response.json()
    return seen


def header(seen: dict[str, Any], name: str) -> str | None:
    pairs: list[list[str]] = seen["headers"]
    return next((v for k, v in pairs if k == name), None)


async def test_http_get_sends_query_and_headers(hnode: actorkit.Node, server: Server) -> None:
    cmd = http.Request(
        "GET",
        f"{server.url}/echo",
        query={"q": "a b", "n": [1, 2]},
        headers={"X-Trace": "t1"},
    )
    seen = await echo(hnode, cmd)
    assert seen["method"] == "GET"
    assert seen["query"] == "q=a+b&n=1&n=2"
    assert header(seen, "x-trace") == "t1"
    assert header(seen, "user-agent") == "actorkit"


async def test_http_response_carries_status_headers_url(
    hnode: actorkit.Node, server: Server
) -> None:
    async with hnode.process() as proc:
        response = await proc.call(http.Request("GET", f"{server.url}/echo"))
    assert response.ok
    assert response.header("Content-Type") == "application/json"
    assert response.url == f"{server.url}/echo"
    assert response.http_version == "HTTP/1.1"
    assert response.body_size == len(response.body)


async def test_http_json_body_is_encoded_with_its_content_type(
    hnode: actorkit.Node, server: Server
) -> None:
    seen = await echo(hnode, http.Request("POST", f"{server.url}/echo", json={"a": [1, None]}))
    assert json.loads(str(seen["body"])) == {"a": [1, None]}
    assert header(seen, "content-type") == "application/json"


async def test_http_raw_body_and_form(hnode: actorkit.Node, server: Server) -> None:
    seen = await echo(hnode, http.Request("PUT", f"{server.url}/echo", body="plain"))
    assert (seen["method"], seen["body"]) == ("PUT", "plain")
    seen = await echo(hnode, http.Request("POST", f"{server.url}/echo", form={"k": ["1", "2"]}))
    assert seen["body"] == "k=1&k=2"
    assert header(seen, "content-type") == "application/x-www-form-urlencoded"


async def test_http_files_go_as_multipart(hnode: actorkit.Node, server: Server) -> None:
    upload = http.File("a.txt", b"file-bytes", "text/plain")
    cmd = http.Request("POST", f"{server.url}/echo", form={"k": "v"}, files={"f": upload})
    seen = await echo(hnode, cmd)
    assert str(header(seen, "content-type")).startswith("multipart/form-data")
    assert 'filename="a.txt"' in str(seen["body"])
    assert "file-bytes" in str(seen["body"])


async def test_http_basic_and_bearer_auth(hnode: actorkit.Node, server: Server) -> None:
    basic = http.Request("GET", f"{server.url}/echo", auth=http.BasicAuth("ann", "pw"))
    assert header(await echo(hnode, basic), "authorization") == "Basic YW5uOnB3"
    bearer = http.Request("GET", f"{server.url}/echo", auth=http.BearerAuth("tok"))
    assert header(await echo(hnode, bearer), "authorization") == "Bearer tok"


async def test_http_cookies_sent_and_received(hnode: actorkit.Node, server: Server) -> None:
    seen = await echo(hnode, http.Request("GET", f"{server.url}/echo", cookies={"a": "1"}))
    assert header(seen, "cookie") == "a=1"
    async with hnode.process() as proc:
        response = await proc.call(http.Request("GET", f"{server.url}/cookie"))
    assert response.cookie("session") == "abc"


async def test_http_error_status_is_a_response(hnode: actorkit.Node, server: Server) -> None:
    async with hnode.process() as proc:
        response = await proc.call(http.Request("GET", f"{server.url}/status?code=503"))
    assert (response.status_code, response.ok, response.text()) == (503, False, "status")


async def test_http_redirects_followed_or_not(hnode: actorkit.Node, server: Server) -> None:
    target = f"{server.url}/echo"
    url = f"{server.url}/redirect?to={target}"
    async with hnode.process() as proc:
        followed = await proc.call(http.Request("GET", url))
        kept = await proc.call(http.Request("GET", url, follow_redirects=False))
    assert (followed.status_code, followed.url) == (200, target)
    assert (kept.status_code, kept.header("location")) == (302, target)


async def test_http_requests_share_the_node_pool(hnode: actorkit.Node, server: Server) -> None:
    async with hnode.process() as proc:
        for _ in range(5):
            await proc.call(http.Request("GET", f"{server.url}/echo"))
        assert established_to(server.port) == 1  # one kept-alive connection, reused
