"""The http module's errors, under :class:`actorkit.errors.ModuleError`.

::

    ModuleError
     └─ HttpError                  an http command failed; str() names the command and ID,
         │                         the method and the URL
         ├─ HttpArgumentError      a field of the command is wrong, found when it is built
         │                         (a ModuleArgumentError: also
         │                         CommandArgumentError and ValueError)
         ├─ AddressRefusedError    the host resolves only to addresses the node does not
         │                         allow (loopback, private, link-local …); also PermissionError
         ├─ HttpConnectionError    no connection (DNS, refused, TLS), or it broke mid-way
         ├─ HttpTimeoutError       the request's ``timeout`` passed (also trio.TooSlowError)
         └─ ResponseTooLargeError  the body is larger than ``max_response_body``

A response with a 4xx or 5xx status is not an error: it is a :class:`~.commands.Response`
like any other. The library's own exception, when there is one, is the ``__cause__``.
A call whose own deadline passes (``proc.call(..., timeout=...)``) raises
``trio.TooSlowError`` from the runtime, as every command does.
"""

from __future__ import annotations

import trio

from actorkit.errors import ModuleArgumentError, ModuleError


class HttpError(ModuleError):
    """An http command failed. ``command`` is like ``Request (id=60)``; ``target`` is the
    method and URL (``GET https://example.com/``) when the failure concerns one request.
    It pickles with both (errors travel in messages)."""

    def __init__(self, detail: str, *, command: str = "", target: str = "") -> None:
        ModuleError.__init__(self, detail, command=command)
        self.target = target

    def __str__(self) -> str:
        head = ": ".join(part for part in (self.command, self.target) if part)
        return f"{head}: {self.detail}" if head else self.detail


class HttpArgumentError(HttpError, ModuleArgumentError):
    """A field of the command has the wrong type or value (url, method, headers, …).

    Raised when the command is built, before anything runs; the message names the command,
    its ID, the field and the value.
    """

    def __init__(self, command: str, field: str, expected: str, value: object) -> None:
        ModuleArgumentError.__init__(self, command, field, expected, value)
        self.target = ""


class AddressRefusedError(HttpError, PermissionError):
    """The host resolved only to addresses the node does not allow.

    By default only public (globally routable) addresses are allowed: loopback, private,
    link-local, shared, reserved and multicast ones are refused. The check runs on the
    addresses DNS returned, just before connecting, so a public name that resolves to
    ``127.0.0.1`` is refused too; every redirect is checked the same way. Allow more with
    ``http.module(allow_networks=[...])`` or ``allow_private=True``.
    """


class HttpConnectionError(HttpError):
    """No connection could be made (the name did not resolve, the peer refused, TLS
    failed), or the connection broke or the peer broke HTTP during the exchange."""


class HttpTimeoutError(HttpError, trio.TooSlowError):
    """The request's ``timeout`` (or the node's ``connect_timeout``) passed first."""


class ResponseTooLargeError(HttpError):
    """The response body is larger than ``max_response_body``: the exchange was stopped and
    its connection closed as soon as that was known (from ``Content-Length``, or when the
    bytes read, after decompression, passed the limit), so no more than the limit was held."""
