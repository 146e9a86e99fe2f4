"""Http client commands (IDs 60–69; 60 and 61 numbered as in Wippy) and their results.

Every field is checked when the command is built: a wrong one raises
:class:`~.errors.HttpArgumentError` (a ``CommandArgumentError``) naming the command, its
ID, the field and the value. Headers, query, form and cookies are kept as tuples of
``(name, value)`` pairs, so a command is immutable data; a JSON body is encoded then, once.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs

from actorkit.checks import Check, instance_of, label
from actorkit.lowlevel import Command, command, declare_range

from .checks import (
    AUTH,
    BODY,
    COOKIES,
    FILES,
    FLAG,
    FORM,
    HEADERS,
    METHOD,
    QUERY,
    SIZE,
    TEXT,
    TIMEOUT,
    URL,
    Pairs,
    field,
    pairs,
)
from .errors import HttpArgumentError, HttpError
from .response import Response
from .tls import TLS

declare_range("http", 60, 69)

PairsIn = Mapping[str, str] | Mapping[str, Sequence[str]] | Sequence[tuple[str, str]]
QueryIn = Mapping[str, Any] | Sequence[tuple[str, Any]]


def _token(value: object) -> bool:
    return type(value) is str and bool(value) and "\n" not in value and "\r" not in value


@attrs.frozen
class BasicAuth:
    """HTTP basic authentication (``Authorization: Basic …``)."""

    user: str = attrs.field(validator=TEXT)
    password: str = attrs.field(repr=False, validator=TEXT)


@attrs.frozen
class BearerAuth:
    """A bearer token (``Authorization: Bearer <token>``)."""

    token: str = attrs.field(
        repr=False, validator=field(Check(_token, "a non-empty str without CR/LF"))
    )


@attrs.frozen
class File:
    """A file to upload in a multipart form (``files={"field": File(...)}``)."""

    filename: str = attrs.field(validator=TEXT)
    content: bytes = attrs.field(repr=False, validator=field(instance_of(bytes, expected="bytes")))
    content_type: str = attrs.field(default="application/octet-stream", validator=TEXT)


@command(id=60, module="http")
class Request(Command[Response]):
    """Send one HTTP request and return its :class:`~.response.Response`.

    ``method`` and ``url`` are positional; every option is a keyword. At most one body:
    ``body`` (bytes or str, sent as is), ``json`` (encoded when the command is built, with
    ``Content-Type: application/json``), or ``form`` and/or ``files`` (urlencoded, or
    multipart when there are files). ``timeout`` bounds the whole exchange (connect, send,
    the headers and the body): None takes the node's (30 s by default), ``math.inf`` means
    none. ``max_response_body`` (bytes) overrides the node's limit. With ``stream=True``
    the response's ``stream`` is the body as a stream owned by the calling process (the
    stream module must be booted); the limit then applies to what is read from it.
    ``tls`` sets the TLS options (requests with the same options share a pool of their
    own).
    """

    method: str = attrs.field(validator=METHOD)
    url: str = attrs.field(validator=URL)
    headers: PairsIn = attrs.field(default=(), kw_only=True, validator=HEADERS)
    query: QueryIn = attrs.field(default=(), kw_only=True, validator=QUERY)
    body: bytes | str | None = attrs.field(default=None, kw_only=True, validator=BODY)
    json: Any = attrs.field(default=None, kw_only=True)
    form: PairsIn | None = attrs.field(default=None, kw_only=True, validator=FORM)
    files: Mapping[str, File] | None = attrs.field(default=None, kw_only=True, validator=FILES)
    cookies: PairsIn | None = attrs.field(default=None, kw_only=True, validator=COOKIES)
    auth: BasicAuth | BearerAuth | None = attrs.field(default=None, kw_only=True, validator=AUTH)
    timeout: float | None = attrs.field(default=None, kw_only=True, validator=TIMEOUT)
    follow_redirects: bool = attrs.field(default=True, kw_only=True, validator=FLAG)
    max_response_body: int | None = attrs.field(default=None, kw_only=True, validator=SIZE)
    stream: bool = attrs.field(default=False, kw_only=True, validator=FLAG)
    tls: TLS | None = attrs.field(
        default=None,
        kw_only=True,
        validator=field(instance_of(TLS, expected="None or a TLS", optional=True)),
    )
    content: bytes | None = attrs.field(init=False, repr=False, eq=False)
    """The body as sent (``body`` encoded as UTF-8, or ``json`` encoded), made at build."""

    def __attrs_post_init__(self) -> None:
        given = [n for n in ("body", "json", "form", "files") if getattr(self, n) is not None]
        if len(given) > 1 and set(given) != {"form", "files"}:
            raise HttpArgumentError(
                label(type(self)),
                given[1],
                f"None when {given[0]} is given (one body)",
                getattr(self, given[1]),
            )
        _freeze(self, "headers", pairs(self.headers))
        _freeze(self, "query", pairs(self.query, values=(str, int, float)))
        _freeze(self, "form", None if self.form is None else pairs(self.form))
        _freeze(self, "cookies", None if self.cookies is None else pairs(self.cookies))
        _freeze(self, "content", _content(self))

    @property
    def target(self) -> str:
        """``METHOD url``, as errors name the request."""
        return f"{self.method} {self.url}"


def _freeze(cmd: Request, name: str, value: object) -> None:
    object.__setattr__(cmd, name, value)


def _content(cmd: Request) -> bytes | None:
    if isinstance(cmd.body, str):
        return cmd.body.encode()
    if cmd.body is not None:
        return cmd.body
    if cmd.json is None:
        return None
    try:
        return jsonlib.dumps(cmd.json, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError, RecursionError) as exc:
        expected = "JSON data (dicts with str keys, lists, str, int, finite float, bool, None)"
        raise HttpArgumentError(label(type(cmd)), "json", expected, cmd.json) from exc


def header_pairs(cmd: Request) -> Pairs:
    """The request's headers as pairs (they are frozen to pairs at build)."""
    return cast("Pairs", cmd.headers)


_NO_STREAMS = "a list or tuple of Request commands, none with stream=True"


def _requests(value: object) -> bool:
    if not isinstance(value, list | tuple):
        return False
    items = cast("Sequence[object]", value)
    return all(isinstance(r, Request) and not r.stream for r in items)


@command(id=61, module="http")
class RequestBatch(Command[list[Response | HttpError]]):
    """Send several requests at once; results come back in the same order.

    Each item of the result is the request's :class:`~.response.Response`, or the
    :class:`~.errors.HttpError` it failed with: one failure does not sink the rest. The
    call's deadline bounds the whole batch; each request's ``timeout`` bounds that request.
    Items cannot be streamed (``stream=True`` is refused when the batch is built).
    """

    requests: Sequence[Request] = attrs.field(
        validator=field(
            Check(_requests, "a list or tuple of Request commands, none with stream=True")
        )
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "requests", tuple(self.requests))
