"""The request protocol between a ``SupervisorClient`` and the supervisor process: a request
rides a message on ``REQUEST_TOPIC``; the reply is an event on the priority lane."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import ClassVar

import attrs

from actorkit import PID, Event, Exit

REQUEST_TOPIC = "$supervisor"
_refs = itertools.count(1)


def new_ref() -> int:
    """A fresh reference that pairs a request with its reply."""
    return next(_refs)


@attrs.frozen
class Request:
    """A client's request, sent as the payload of a message on ``REQUEST_TOPIC``."""

    ref: int
    op: str
    arg: object = None


@attrs.frozen
class Reply(Event):
    """The supervisor's answer; it rides the priority lane, like a command's completion."""

    bounded: ClassVar[bool] = False
    ref: int
    result: object
    error: BaseException | None


def answer_to(ref: int, pid: PID) -> Callable[[Event], bool]:
    """Matches the reply to request ``ref``, or the ``Exit`` of the supervisor ``pid``."""

    def match(event: Event) -> bool:
        if isinstance(event, Reply):
            return event.ref == ref
        return isinstance(event, Exit) and event.pid == pid

    return match
