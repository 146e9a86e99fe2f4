"""Servers, OTP style, built on the public API and ``actorkit.lowlevel``: the
:class:`Server` behaviour (gen_server) with its client helpers :func:`call` and
:func:`cast`, and :func:`pool`, N supervised workers behind one name.
"""

from ._client import CALL, CAST, Call, call, cast
from ._pool import Pool, pool
from ._server import Server

__all__ = ["CALL", "CAST", "Call", "Pool", "Server", "call", "cast", "pool"]
