"""Checks of command fields, run when a command is built (attrs validators and converters).

Each check raises :class:`SqlArgumentError` naming the command, its ID, the field and
the value. They are the core's checks (``actorkit.checks``) with the sql module's
own error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from actorkit.checks import Check, flag, text

from .errors import SqlArgumentError
from .handles import Isolation, Stmt, Tx
from .rows import Params, ParamsIn

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_LEVELS = {level.value.replace("_", " "): level for level in Isolation}


def field(check: Check) -> Check:
    """``check`` (an attrs validator) raising SqlArgumentError."""
    return check.raising(SqlArgumentError)


def to_params(value: ParamsIn) -> Params:
    """Lists and other sequences become tuples, None is no parameters; a str, bytes or
    anything else is left for :data:`PARAMS` to refuse."""
    given: Any = value
    if type(given) is tuple:
        return cast("Params", given)
    if given is None:
        return ()
    if isinstance(given, Mapping | str | bytes | bytearray) or not isinstance(given, Sequence):
        return cast("Params", given)
    return tuple(cast("Sequence[object]", given))


def _params(value: Any) -> bool:
    if type(value) is tuple:
        return True
    if not isinstance(value, Mapping):
        return False
    return all(type(k) is str for k in cast("Mapping[object, object]", value))


def to_isolation(value: Isolation | str) -> Isolation:
    """An :class:`Isolation`, also from its name in any case, with spaces, ``_`` or ``-``
    (``"SERIALIZABLE"``, ``"read committed"``); anything else is left for ISOLATION."""
    if type(value) is str:
        name = value.strip().lower().replace("_", " ").replace("-", " ")
        return _LEVELS.get(name, cast("Isolation", value))
    return cast("Isolation", value)


LEVEL_NAMES = ", ".join(repr(name) for name in _LEVELS)


TEXT = text(non_empty=True)
DB = field(TEXT)
SQL = field(TEXT)
PARAMS = field(Check(_params, "a sequence (not str or bytes), a mapping with str keys, or None"))
TX = field(Check(lambda v: isinstance(v, Tx), "a Tx (what Begin returned)"))
STMT = field(Check(lambda v: isinstance(v, Stmt), "a Stmt (what Prepare or TxPrepare returned)"))
ISOLATION = field(
    Check(lambda v: isinstance(v, Isolation), f"an Isolation or one of {LEVEL_NAMES}")
)
READ_ONLY = field(flag())
SAVEPOINT = field(
    Check(
        lambda v: type(v) is str and _NAME.fullmatch(v) is not None,
        "a savepoint name: letters, digits and '_', not starting with a digit, at most 63",
    )
)
