"""Field checks for commands, yours and the built-in modules' alike.

Each factory returns an attrs validator for ``attrs.field(validator=...)`` on a command
class; a wrong value raises :class:`~actorkit.errors.CommandArgumentError` naming the command,
its ID, the field and the value when the command is built::

    @actorkit.command(id=300)
    class Translate(actorkit.Command[str]):
        text: str = attrs.field(validator=checks.text())
        timeout: float = attrs.field(default=5.0, validator=checks.duration(finite=True))

Durations follow one rule everywhere: an ``int`` or ``float`` (never a ``bool``), not NaN,
not negative; ``0`` means now, and ``math.inf`` means no limit where a field allows it.
"""

from ._core._checks import (
    Check,
    argument_error,
    arguments,
    describe,
    duration,
    flag,
    function,
    instance_of,
    integer,
    is_number,
    keywords,
    label,
    text,
    utf8,
)

__all__ = [
    "Check",
    "argument_error",
    "arguments",
    "describe",
    "duration",
    "flag",
    "function",
    "instance_of",
    "integer",
    "is_number",
    "keywords",
    "label",
    "text",
    "utf8",
]
