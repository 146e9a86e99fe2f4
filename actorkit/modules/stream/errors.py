"""Stream errors, under :class:`actorkit.CommandError`.

::

    CommandError
     └─ StreamError                a stream command failed; str() names the command and ID
         ├─ StreamArgumentError    a field of the command is wrong, found when it is built
         │                         (also CommandArgumentError, TypeError and ValueError)
         ├─ StreamClosedError      the stream is closed, or was closed during the call
         │                         (also trio.ClosedResourceError)
         ├─ StreamOwnerError       the stream belongs to another process (also PermissionError)
         ├─ StreamUnsupportedError the stream cannot do that (read a write-only pipe, seek a
         │                         pipe …)
         ├─ StreamPathError        Open refused a path (outside the allowed directories, or
         │                         the file system said no; also PermissionError)
         ├─ TokenTooLongError      a scanner's token grew past max_token_size
         └─ StreamIOError          the underlying stream failed; its error is ``__cause__``

Every error names the command and its ID (``Read (id=50)``) and the stream
(``stream 7 (stdout of /bin/cat)``).
"""

from __future__ import annotations

import trio

from actorkit.errors import ModuleArgumentError, ModuleError


class StreamError(ModuleError):
    """A stream command failed. ``command`` is like ``Read (id=50)``."""


class StreamArgumentError(StreamError, ModuleArgumentError, TypeError):
    """A field of a stream command has the wrong type or value.

    Raised when the command is built, before anything runs; the message names the
    command, its ID, the field and the value.
    """


class StreamClosedError(StreamError, trio.ClosedResourceError):
    """The stream is closed (by Close, by its owner's exit), or was closed during the call."""


class StreamOwnerError(StreamError, PermissionError):
    """The stream belongs to another process: only the process that opened it may use it."""


class StreamUnsupportedError(StreamError):
    """The stream cannot do what the command asks (it is read-only, not seekable, …)."""


class StreamPathError(StreamError, PermissionError):
    """Open refused the path: outside every allowed directory, or the file system refused."""


class TokenTooLongError(StreamError):
    """A scanner found no delimiter within ``max_token_size`` bytes; the scanner stops."""


class StreamIOError(StreamError):
    """The underlying stream (a pipe, a file, an HTTP body …) failed; see ``__cause__``."""
