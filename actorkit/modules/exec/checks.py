"""Checks of exec command fields, run when a command is built (attrs validators)."""

from __future__ import annotations

import signal
from collections.abc import Mapping, Sequence
from typing import Any, cast

from actorkit.checks import Check, duration, instance_of

from .errors import ExecArgumentError
from .handles import OSProcess

STDIO = ("pipe", "null", "inherit")
"""What a child's stdin / stdout / stderr may be: a stream handle, /dev/null, or the node's."""
SIGNALS = frozenset(int(s) for s in signal.valid_signals())


def field(check: Check) -> Check:
    """``check`` raising ExecArgumentError."""
    return check.raising(ExecArgumentError)


def _argv(value: Any) -> bool:
    if type(value) is not tuple or not value:
        return False
    args = cast("tuple[object, ...]", value)
    return all(type(a) is str and "\0" not in a for a in args) and args[0] != ""


def _env(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, Mapping):
        return False
    items = cast("Mapping[object, object]", value).items()
    return all(_env_item(k, v) for k, v in items)


def _env_item(k: object, v: object) -> bool:
    if type(k) is not str or type(v) is not str:
        return False
    return k != "" and "=" not in k and "\0" not in k + v


def _signum(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in SIGNALS


def as_tuple(value: Sequence[str]) -> tuple[str, ...]:
    """A list becomes a tuple (commands stay hashable); anything else is checked as is."""
    if isinstance(value, list):
        return tuple(value)
    return cast("tuple[str, ...]", value)


ARGV = field(Check(_argv, "a non-empty list of str (argv[0] the executable), no NUL bytes"))
ENV = field(Check(_env, "None or a mapping of str names (no '=') to str values"))
CWD = field(Check(lambda v: v is None or (type(v) is str and v != ""), "None or a path (str)"))
STD = field(Check(lambda v: v in STDIO and type(v) is str, "one of " + ", ".join(STDIO)))
PROCESS = field(instance_of(OSProcess, expected="an OSProcess (from Start)"))
SIGNUM = field(Check(_signum, "a signal number (signal.SIG*)"))
GRACE = field(duration(optional=True))
