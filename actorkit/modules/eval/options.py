"""What a program may use: its Lua libraries, its commands and its limits (:class:`Options`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, cast

import attrs

from actorkit.checks import Check, duration, integer

from .errors import EvalArgumentError

LIBRARIES = frozenset({"string", "table", "math", "utf8", "coroutine"})
"""The Lua libraries a program may be given (the safe base functions are always there)."""

HOOK_EVERY = 1000
"""Instructions between two checks of the instruction and wall-clock limits."""

Strings = Literal["text", "bytes"]


def _libraries(value: object) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # the validator names the wrong value
    return frozenset(cast("Iterable[str]", value))


def _command_ids(value: object) -> frozenset[int]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # the validator names the wrong value
    items = cast("Iterable[object]", value)
    return frozenset(cast("int", getattr(v, "ID", v)) for v in items)


def _known(value: object) -> bool:
    return isinstance(value, frozenset) and value <= LIBRARIES


def _ids(value: object) -> bool:
    if not isinstance(value, frozenset):
        return False
    return all(type(v) is int and v >= 0 for v in cast("frozenset[object]", value))


_LIBS = Check(_known, f"a set of Lua library names from {sorted(LIBRARIES)}")
_ALLOW = Check(_ids, "a set of command IDs (ints >= 0) or command classes")
_MEMORY = integer(minimum=256 * 1024)
_INSTRUCTIONS = integer(minimum=HOOK_EVERY)
_TIMEOUT = duration(positive=True)
_STRINGS = Check(lambda v: v in ("text", "bytes"), "'text' or 'bytes'")


def _field(check: Check) -> Check:
    return check.raising(EvalArgumentError)


@attrs.frozen(kw_only=True)
class Options:
    """The sandbox of one program.

    Attributes:
        libraries: the Lua libraries it gets besides the safe base functions (default all of
            ``string``, ``table``, ``math``, ``utf8``, ``coroutine``). Never available:
            ``os``, ``io``, ``debug``, ``package``/``require``, ``load``, ``loadstring``,
            ``dofile``, ``loadfile``, ``string.dump``, ``print``.
        allow: the commands a Lua process may yield, as IDs or command classes
            (``{process.Send, clock.Sleep}``); empty (the default) means none.
        max_memory: bytes the whole Lua state may hold (default 16 MiB, at least 256 KiB).
        max_instructions: Lua VM instructions per run, or per stretch between two yields
            of a process (default 10,000,000; counted in steps of 1,000).
        timeout: seconds of wall-clock time per run, or per stretch between two yields of a
            process (default 1.0).
        strings: how Lua strings come back to Python: ``"text"`` (default) gives ``str``
            for valid UTF-8 and ``bytes`` otherwise; ``"bytes"`` always gives ``bytes``.
    """

    libraries: frozenset[str] = attrs.field(
        default=LIBRARIES, converter=_libraries, validator=_field(_LIBS)
    )
    allow: frozenset[int] = attrs.field(
        default=frozenset[int](), converter=_command_ids, validator=_field(_ALLOW)
    )
    max_memory: int = attrs.field(default=16 * 1024 * 1024, validator=_field(_MEMORY))
    max_instructions: int = attrs.field(default=10_000_000, validator=_field(_INSTRUCTIONS))
    timeout: float = attrs.field(default=1.0, validator=_field(_TIMEOUT))
    strings: Strings = attrs.field(default="text", validator=_field(_STRINGS))
