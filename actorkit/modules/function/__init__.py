"""The function module (IDs 140–149): named Python functions that processes call as commands.

Register functions at boot, call them by name::

    node_modules = [function.module({"add": add}, function.Function("hash", sha, cpu=True))]
    total = await proc.call(function.Call("add", (1, 2)))

``async def`` functions are awaited under the caller's cancel scope; sync functions run in
a thread (``cheap=True``: directly in the handler; ``cpu=True``: in a trio-parallel worker
process). A :class:`RetryPolicy` retries failures on the Trio clock.
"""

from __future__ import annotations

from .commands import AsyncCancel, AsyncStart, Call, FunctionResult
from .components import module
from .errors import FunctionArgumentError, UnknownFunctionError
from .retry import RetryOn, RetryPolicy
from .spec import Function
from .state import TABLE as TABLE  # the node variable (tests read it)

__all__ = [
    "AsyncCancel",
    "AsyncStart",
    "Call",
    "Function",
    "FunctionArgumentError",
    "FunctionResult",
    "RetryOn",
    "RetryPolicy",
    "UnknownFunctionError",
    "module",
]
