"""The result of a request: :class:`Response`, plain frozen data a process can keep or send."""

from __future__ import annotations

import json
from email.message import Message
from typing import Any

import attrs

from actorkit.modules.stream import StreamHandle


@attrs.frozen
class Response:
    """An HTTP response.

    ``Response(200, b"ok")`` builds one (a test's fake, say); the http module fills in the
    rest.

    Attributes:
        status_code: the status, e.g. ``200`` (4xx and 5xx are responses, not errors).
        body: the body, decompressed if it came gzip- or deflate-encoded.
        headers: every header as ``(name, value)`` pairs, names in lower case, in the order
            received (a repeated header appears once per value).
        url: the URL that answered (after any redirects).
        http_version: ``"HTTP/1.1"`` or ``"HTTP/2"``.
        cookies: the cookies the response sets (``Set-Cookie``), name to value.
        stream: with ``Request(..., stream=True)``, the body as a stream owned by the
            calling process (read it with the stream module's commands; it is closed
            when the process exits); ``body`` is then empty. Else None.
    """

    status_code: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = attrs.field(default=(), kw_only=True)
    url: str = attrs.field(default="", kw_only=True)
    http_version: str = attrs.field(default="HTTP/1.1", kw_only=True)
    cookies: tuple[tuple[str, str], ...] = attrs.field(default=(), kw_only=True)
    stream: StreamHandle | None = attrs.field(default=None, kw_only=True)

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status_code < 300

    @property
    def body_size(self) -> int:
        """The length of ``body`` in bytes."""
        return len(self.body)

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (any case), repeated values joined by ``", "``; None
        if absent."""
        wanted = name.lower()
        found = [value for key, value in self.headers if key == wanted]
        return ", ".join(found) if found else None

    def cookie(self, name: str) -> str | None:
        """The value of cookie ``name`` set by the response, or None."""
        return next((value for key, value in self.cookies if key == name), None)

    def text(self) -> str:
        """The body decoded with the charset of ``Content-Type`` (UTF-8 if none), undecodable
        bytes replaced."""
        return self.body.decode(self._charset(), errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON.

        Raises:
            ValueError: the body is not JSON.
        """
        return json.loads(self.body)

    def _charset(self) -> str:
        content_type = self.header("content-type")
        if not content_type:
            return "utf-8"
        message = Message()
        message["content-type"] = content_type
        charset = message.get_param("charset")
        return charset if isinstance(charset, str) and _known(charset) else "utf-8"


def _known(charset: str) -> bool:
    try:
        b"".decode(charset)
    except LookupError:
        return False
    return True
