"""RESP on the wire: commands encoded by hiredis's ``pack_command``, replies parsed by
``hiredis.Reader`` (both in C).

A reply is :data:`Reply`: bulk and simple strings as ``bytes`` (never decoded), integers as
``int``, nil as ``None``, arrays as lists. An error reply is a :class:`RedisReplyError`
object (returned, not raised: callers decide).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeAlias, cast

from ._hiredis import hiredis
from .errors import RedisArgumentError, RedisReplyError

__all__ = ["Arg", "Reply", "encode", "encode_many", "new_reader"]

Arg: TypeAlias = str | bytes | int | float
Reply: TypeAlias = "bytes | int | list[Reply] | None"

_ARG_TYPES = (str, bytes, int, float, memoryview)
# hiredis's stub types the tuple as a 1-tuple: any number of arguments is what it takes.
_pack = cast("Callable[[tuple[Arg, ...]], bytes]", hiredis.pack_command)  # pyright: ignore[reportUnknownMemberType]


def new_reader() -> hiredis.Reader:
    """A parser whose error replies are :class:`RedisReplyError` objects."""
    return hiredis.Reader(replyError=RedisReplyError)


def encode(args: Sequence[Arg]) -> bytes:
    """One command as RESP: str as UTF-8, numbers as decimal text.

    Raises:
        RedisArgumentError: no arguments, or one of a type Redis has no text for.
    """
    if not args:
        raise RedisArgumentError("a Redis command needs at least its name")
    try:
        return _pack(tuple(args))
    except TypeError:
        raise _argument_error(args) from None


def encode_many(commands: Iterable[Sequence[Arg]]) -> bytes:
    """Several commands as one buffer, in order."""
    return b"".join([encode(args) for args in commands])


def _argument_error(args: Sequence[Arg]) -> RedisArgumentError:
    for at, arg in enumerate(args):
        if isinstance(arg, bool) or not isinstance(arg, _ARG_TYPES):  # pyright: ignore[reportUnnecessaryIsInstance]
            return RedisArgumentError(
                f"Redis command {_name(args)}: argument {at} must be str, bytes, int or "
                f"float, got {type(arg).__name__}"
            )
    return RedisArgumentError(f"Redis command {_name(args)}: cannot encode {args!r:.80}")


def _name(args: Sequence[Arg]) -> str:
    first = args[0]
    return first.decode(errors="replace") if isinstance(first, bytes) else str(first)
