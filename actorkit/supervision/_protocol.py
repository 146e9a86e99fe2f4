"""What a supervisor process answers.

- A :class:`SupervisorClient` operation is a ``proc.request`` on ``REQUEST_TOPIC`` whose
  payload is an :class:`Operation`; the supervisor answers with ``proc.reply``.
- A supervisor that starts a child supervisor waits for it to have started its own children
  (OTP's synchronous start) with a message on ``STARTED_TOPIC`` carrying a fresh reference;
  the child answers with :class:`Started`, an event on the priority lane. This handshake is
  not a ``request`` because the parent must leave a ``Cancel`` queued while it waits.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import ClassVar

import attrs

from actorkit import PID, Event, Exit

REQUEST_TOPIC = "$supervisor"
STARTED_TOPIC = "$supervisor.started"
_refs = itertools.count(1)


def new_ref() -> int:
    """A fresh reference that pairs a started handshake with its answer."""
    return next(_refs)


@attrs.frozen
class Operation:
    """A client's operation (``start_child``, ``which_children`` …) and its argument."""

    op: str
    arg: object = None


@attrs.frozen
class Started(Event):
    """A child supervisor's answer to the started handshake (priority lane)."""

    bounded: ClassVar[bool] = False
    ref: int


def started_or_exit(ref: int, pid: PID) -> Callable[[Event], bool]:
    """Matches the answer to handshake ``ref``, or the ``Exit`` of the child ``pid``."""

    def match(event: Event) -> bool:
        if isinstance(event, Started):
            return event.ref == ref
        return isinstance(event, Exit) and event.pid == pid

    return match
