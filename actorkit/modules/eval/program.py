"""A compiled program (:class:`Program`) and :func:`compile_program`, which checks the source."""

from __future__ import annotations

import attrs

from actorkit.checks import Check, text

from .errors import EvalArgumentError
from .options import Options
from .sandbox import Sandbox

_SOURCE = text().raising(EvalArgumentError)
_NAME = text(non_empty=True).raising(EvalArgumentError)
_OPTIONS = Check(lambda v: type(v) is Options, "an eval.Options").raising(EvalArgumentError)


@attrs.frozen
class Program:
    """A Lua program whose source has been checked, with the sandbox it runs in.

    Build one with the ``Compile`` command or :func:`compile_program`; ``Run`` and
    ``CreateProcess`` take it (or plain source, compiled with default options).

    Attributes:
        source: the Lua source text.
        name: the chunk name that error messages show (``name:line: message``).
        options: its sandbox: libraries, allowed commands and limits.
    """

    source: str = attrs.field(validator=_SOURCE)
    name: str = attrs.field(default="program", kw_only=True, validator=_NAME)
    options: Options = attrs.field(factory=Options, kw_only=True, validator=_OPTIONS)


def compile_program(
    source: str, *, name: str = "program", options: Options | None = None
) -> Program:
    """Check ``source`` in a fresh sandbox and return it as a :class:`Program`.

    Not async: parsing runs no Lua code.

    Raises:
        EvalCompileError: the source does not parse (with its ``line`` and ``message``).
        EvalArgumentError: a wrong argument.
    """
    program = Program(source, name=name, options=options or Options())
    sandbox = Sandbox(program.options)
    try:
        sandbox.load(source, name)
    finally:
        sandbox.close()
    return program


def as_program(program: Program | str) -> Program:
    """``program``, or plain source compiled with the default options."""
    if type(program) is Program:
        return program
    return compile_program(program)  # type: ignore[arg-type]
