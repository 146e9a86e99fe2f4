"""The function module's errors (both are ``CommandError`` subclasses).

::

    CommandError
     ├─ UnknownFunctionError    no function is registered under that name
     └─ FunctionArgumentError   the arguments do not fit the function (also a TypeError)
"""

from __future__ import annotations

from collections.abc import Sequence

from actorkit.errors import CommandError

LIST_AT_MOST = 10  # an unknown-name error lists the known names when there are this few


class UnknownFunctionError(CommandError):
    """No function is registered under the name a command asked for."""

    def __init__(self, command: str, name: str, known: Sequence[str]) -> None:
        super().__init__(f"{command}: no function named {name!r} ({_known(known)})")
        self.name = name
        self.known = tuple(known)


def _known(known: Sequence[str]) -> str:
    if not known:
        return "no functions are registered"
    if len(known) > LIST_AT_MOST:
        return f"{len(known)} functions are registered"
    return "known: " + ", ".join(sorted(known))


class FunctionArgumentError(CommandError, TypeError):
    """The call's arguments do not bind to the function's signature (never retried)."""

    def __init__(self, command: str, name: str, error: TypeError) -> None:
        super().__init__(f"{command}: bad arguments for function {name!r}: {error}")
        self.name = name
