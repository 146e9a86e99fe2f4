"""Eval errors, under :class:`actorkit.errors.ModuleError`.

::

    CommandError
     └─ ModuleError
         └─ EvalError                  a Lua program failed or was refused
             ├─ EvalArgumentError      a field or option is wrong, found when it is built
             │                         (also CommandArgumentError, TypeError and ValueError)
             ├─ EvalCompileError       the source does not parse (``line``, ``message``)
             ├─ EvalRuntimeError       the program raised a Lua error (``message``, ``value``)
             ├─ EvalValueError         a value cannot cross between Lua and Python
             ├─ EvalLimitError         a limit ended the program (``limit``)
             │   ├─ EvalMemoryError        its memory limit
             │   ├─ EvalInstructionError   its instruction limit
             │   └─ EvalTimeoutError       its wall-clock limit
             └─ EvalPermissionError    it yielded a command outside its allow-list
"""

from __future__ import annotations

from actorkit.errors import ModuleArgumentError, ModuleError


class EvalError(ModuleError):
    """A Lua program failed, was stopped or was refused."""


class EvalArgumentError(EvalError, ModuleArgumentError, TypeError):
    """A field of an eval command, or an option of a program, has a wrong value.

    Raised when the command (or the program) is built; names the command, its ID, the field
    and the value.
    """


class EvalCompileError(EvalError):
    """The source is not valid Lua. ``line`` is the line of the error (None if unknown)."""

    def __init__(self, chunk: str, line: int | None, message: str) -> None:
        where = f"{chunk}:{line}" if line is not None else chunk
        super().__init__(f"{where}: {message}")
        self.chunk = chunk
        self.line = line
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (type(self), (self.chunk, self.line, self.message))


class EvalRuntimeError(EvalError):
    """The program raised a Lua error.

    ``message`` is the error as text (with ``chunk:line:`` when Lua added it); ``value``
    the error value by the value mapping when it was not a string (``error({code = 7})``).
    """

    def __init__(self, message: str, value: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.value = value

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (type(self), (self.message, self.value))


class EvalValueError(EvalError, ValueError):
    """A value cannot cross between Lua and Python (a function, a cycle, a huge int, …)."""


class EvalLimitError(EvalError):
    """A limit of the program ended it. ``limit`` names it: memory, instructions, timeout."""

    limit = ""


class EvalMemoryError(EvalLimitError, MemoryError):
    """The program asked for more memory than its ``max_memory``."""

    limit = "memory"


class EvalInstructionError(EvalLimitError):
    """The program ran more Lua instructions than its ``max_instructions``."""

    limit = "instructions"


class EvalTimeoutError(EvalLimitError):
    """The program ran longer than its ``timeout`` (or its caller's deadline)."""

    limit = "timeout"


class EvalPermissionError(EvalError, PermissionError):
    """A Lua process yielded a command that its program's ``allow`` list does not hold."""
