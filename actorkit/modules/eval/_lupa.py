"""lupa (the ``eval`` extra) behind typed names: lupa ships no type information.

The Lua 5.5 runtime is used; every Lua value handed to Python is ``Any`` here.
"""

from __future__ import annotations

from typing import Any

from actorkit.errors import MissingExtraError

try:
    import lupa.lua55 as _lua  # type: ignore[import-untyped]  # no stubs
except ImportError as exc:  # pragma: no cover - the extra is installed where tests run
    raise MissingExtraError("the eval module (Lua)", "eval") from exc

_module: Any = _lua
LuaRuntime: Any = _module.LuaRuntime
LuaError: type[Exception] = _module.LuaError
LuaMemoryError: type[Exception] = _module.LuaMemoryError


def lua_type(value: object) -> str | None:
    """``"table"``, ``"function"``, ``"thread"``, ``"userdata"`` … for a Lua object, else None."""
    kind: str | None = _module.lua_type(value)
    return kind
