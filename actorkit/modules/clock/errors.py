"""The clock module's errors: it has none of its own; it raises the core's.

::

    CommandError                  (actorkit.errors)
     ├─ CommandArgumentError      raised when a command is built: a duration that is
     │                            NaN, negative or not a number, a ticker interval that
     │                            is not finite and > 0, a timer or ticker ID not an int
     └─ CommandError              a timer the process does not own, a wait on a stopped timer

A wait whose deadline passes first fails as any call does (``TooSlowError``).
"""

from __future__ import annotations

__all__: list[str] = []
