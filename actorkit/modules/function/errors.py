"""The function module's errors (both are ``CommandError`` subclasses).

::

    CommandError
     ├─ UnknownFunctionError        no function is registered under that name
     └─ CommandArgumentError
         └─ FunctionArgumentError   the arguments do not fit the function (also a TypeError)
"""

from __future__ import annotations

from collections.abc import Sequence

from actorkit.errors import CommandArgumentError, CommandError

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


class FunctionArgumentError(CommandArgumentError, TypeError):
    """The call's arguments do not bind to the function's signature (never retried).

    Found when the call runs, not when it is built, so the message is the binding error's.
    """

    def __init__(self, command: str, name: str, error: TypeError) -> None:
        CommandError.__init__(self, f"{command}: bad arguments for function {name!r}: {error}")
        self.command = command
        self.field = "args"
        self.expected = f"arguments that bind to {name!r}"
        self.value = error
        self.name = name

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.command, self.name, self.value))
