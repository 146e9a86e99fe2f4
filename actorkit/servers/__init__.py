"""Servers, OTP style, built on the public API and ``actorkit.lowlevel``: the
:class:`Server` behaviour (gen_server; :class:`NoReply` and :class:`Stop` are what its
callbacks may return) with its client helpers :func:`call` and :func:`cast`, and
:func:`pool`, N supervised workers behind one name.
"""

from ._client import CALL, CAST, Call, call, cast
from ._pool import Pool, pool
from ._server import CallResult, NoReply, Server, Stop

__all__ = [
    "CALL",
    "CAST",
    "Call",
    "CallResult",
    "NoReply",
    "Pool",
    "Server",
    "Stop",
    "call",
    "cast",
    "pool",
]
