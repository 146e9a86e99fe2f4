"""Finding the servers a test needs (PostgreSQL, Redis, ...), or skipping with a reason.

With ``ACTORKIT_REQUIRE_SERVICES=1`` a missing server fails the test instead of skipping it,
so CI cannot pass by quietly skipping.
"""

from __future__ import annotations

import os
import socket

import pytest


def services_required() -> bool:
    """True when ``ACTORKIT_REQUIRE_SERVICES`` is set to a true value."""
    return os.environ.get("ACTORKIT_REQUIRE_SERVICES", "") not in ("", "0", "false", "no")


def require_service(name: str, env_var: str, default: str) -> str:
    """The address of a server, from ``env_var`` or ``default`` (``host:port`` or a URL).

    Skips the calling test when nothing listens there (fails it when services are required).
    """
    address = os.environ.get(env_var, default)
    host, port = _host_port(address)
    try:
        socket.create_connection((host, port), timeout=1.0).close()
    except OSError as exc:
        message = f"{name} not reachable at {host}:{port} (set {env_var}): {exc}"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    return address


def _host_port(address: str) -> tuple[str, int]:
    rest = address.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = rest.rpartition(":")
    return host or "127.0.0.1", int(port)
