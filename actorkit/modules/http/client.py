"""One exchange: build the httpx request from a :class:`~.commands.Request`, send it on the
node's pool, read the body up to the limit, and turn every failure into an HttpError.

The body is read chunk by chunk: a ``Content-Length`` over the limit is refused before any
of the body is read, and a body that grows past it is cut off there, its connection closed
(not returned to the pool), so no more than the limit is ever held.
"""

from __future__ import annotations

import base64
from typing import Any, cast

import httpx
import trio

from actorkit.checks import label
from actorkit.lowlevel import HandlerContext
from actorkit.modules import stream
from actorkit.modules.stream import StreamHandle

from .body import BodyChunks, check_length, read_body
from .commands import BasicAuth, BearerAuth, Request, header_pairs
from .errors import (
    AddressRefusedError,
    HttpConnectionError,
    HttpError,
    HttpTimeoutError,
)
from .guard import RefusedAddress
from .response import Response
from .state import HttpState

Pairs = tuple[tuple[str, str], ...]


async def exchange(state: HttpState, cmd: Request, ctx: HandlerContext | None) -> Response:
    """Send ``cmd`` and return its response. A checkpoint; cancelling it (the caller's
    deadline, its cancellation or exit) closes the exchange's connection.

    With ``cmd.stream`` the body is handed to the stream module as a stream owned by the
    caller (``ctx``): the timeout then bounds the exchange up to the headers.

    Raises:
        HttpError: the request failed (a subclass says how); it names the command, the
            method and the URL.
    """
    settings = state.settings
    timeout = settings.timeout if cmd.timeout is None else cmd.timeout
    limit = settings.max_response_body if cmd.max_response_body is None else cmd.max_response_body
    try:
        with trio.move_on_after(timeout):
            return await _send(state, cmd, limit, ctx)
    except HttpError as exc:
        exc.command, exc.target = label(Request), cmd.target
        raise
    except Exception as exc:
        raise _mapped(exc, cmd) from exc
    raise HttpTimeoutError(f"no complete response within {timeout}s", **_names(cmd))


async def _send(state: HttpState, cmd: Request, limit: int, ctx: HandlerContext | None) -> Response:
    try:
        client = state.client(cmd.tls)
    except ValueError as exc:  # the TLS options' files do not load
        raise HttpConnectionError(str(exc)) from exc
    request = build(client, cmd)
    response = await client.send(request, follow_redirects=cmd.follow_redirects, stream=True)
    handle: StreamHandle | None = None
    body = b""
    try:
        if cmd.stream and ctx is not None:
            handle = _attach(ctx, cmd, response, limit)
        else:
            body = await read_body(response, limit)
    except BaseException:
        await response.aclose()
        raise
    return Response(
        response.status_code,
        body,
        headers=tuple(
            (k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in response.headers.raw
        ),
        url=str(response.url),
        http_version=response.http_version,
        cookies=tuple(response.cookies.items()),
        stream=handle,
    )


def _attach(
    ctx: HandlerContext, cmd: Request, response: httpx.Response, limit: int
) -> StreamHandle:
    size = check_length(response, limit)
    try:
        return stream.attach(
            ctx, BodyChunks(response, limit), name=cmd.target, kind="http", size=size
        )
    except stream.StreamError as exc:
        raise HttpError(f"stream=True needs the stream module on the node ({exc})") from exc


def build(client: httpx.AsyncClient, cmd: Request) -> httpx.Request:
    """The httpx request for ``cmd`` (headers, query, body, form, files, cookies, auth)."""
    headers = list(header_pairs(cmd))
    names = {name.lower() for name, _ in headers}
    if cmd.json is not None and "content-type" not in names:
        headers.append(("content-type", "application/json"))
    if cmd.cookies:
        cookies = cast("Pairs", cmd.cookies)  # frozen to pairs at build
        headers.append(("cookie", "; ".join(f"{k}={v}" for k, v in cookies)))
    if cmd.auth is not None and "authorization" not in names:
        headers.append(("authorization", _authorization(cmd.auth)))
    extensions = (
        {}
        if cmd.tls is None or cmd.tls.server_name is None
        else {"sni_hostname": cmd.tls.server_name}
    )
    return client.build_request(
        cmd.method,
        httpx.URL(cmd.url).copy_merge_params(cast("Pairs", cmd.query)),
        headers=headers,
        content=cmd.content,
        data=_form(cmd),
        files=_files(cmd),
        extensions=extensions,
    )


def _authorization(auth: BasicAuth | BearerAuth) -> str:
    if isinstance(auth, BearerAuth):
        return f"Bearer {auth.token}"
    raw = f"{auth.user}:{auth.password}".encode()
    return f"Basic {base64.b64encode(raw).decode('ascii')}"


def _form(cmd: Request) -> dict[str, list[str]] | None:
    if cmd.form is None:
        return None
    form: dict[str, list[str]] = {}
    for key, value in cast("Pairs", cmd.form):  # frozen to pairs at build
        form.setdefault(key, []).append(value)
    return form


def _files(cmd: Request) -> dict[str, tuple[str, bytes, str]] | None:
    if cmd.files is None:
        return None
    return {name: (f.filename, f.content, f.content_type) for name, f in cmd.files.items()}


def _names(cmd: Request) -> dict[str, Any]:
    return {"command": label(Request), "target": cmd.target}


def _reason(exc: BaseException) -> str:
    """What went wrong: ``exc``'s message, or the first message down its chain of causes
    (httpx's ConnectError for a failed TLS handshake says nothing; the ssl error does)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None or str(seen):
            break
        seen = seen.__cause__ or seen.__context__
    return "" if seen is None else f"{seen}"


def _mapped(exc: Exception, cmd: Request) -> HttpError:
    """The HttpError for a failure of httpx, the guard or the TLS options."""
    names = _names(cmd)
    detail = f"{type(exc).__name__}: {_reason(exc)}"
    if isinstance(exc, RefusedAddress):
        return AddressRefusedError(str(exc), **names)
    if isinstance(exc, httpx.TimeoutException):
        return HttpTimeoutError(detail, **names)
    if isinstance(exc, httpx.TooManyRedirects):
        return HttpError(detail, **names)
    if isinstance(exc, httpx.TransportError | httpx.DecodingError | OSError):
        return HttpConnectionError(detail, **names)
    return HttpError(f"failed: {detail}", **names)
