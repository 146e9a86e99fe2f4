"""hiredis, the C parser and encoder this package builds on (the ``redis`` extra)."""

from __future__ import annotations

from actorkit.errors import MissingExtraError

try:
    import hiredis
except ImportError as exc:
    raise MissingExtraError("actorkit.redis", "redis") from exc

__all__ = ["hiredis"]
