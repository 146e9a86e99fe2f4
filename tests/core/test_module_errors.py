"""The bases a module's errors start from: ``ModuleError`` and ``ModuleArgumentError``."""

from __future__ import annotations

import pickle

import pytest

from actorkit.errors import CommandArgumentError, CommandError, ModuleArgumentError, ModuleError


class ThingError(ModuleError):
    """A module's base error."""


class ThingClosedError(ThingError):
    def __init__(self, detail: str, *, command: str = "", code: int = 0) -> None:
        ThingError.__init__(self, detail, command=command)
        self.code = code


class ThingArgumentError(ThingError, ModuleArgumentError, TypeError):
    """A module's bad-field error."""


def test_a_module_error_names_its_command_and_pickles_with_what_a_subclass_adds() -> None:
    error = ThingClosedError("the thing is closed", command="Poke (id=300)", code=7)
    assert str(error) == "Poke (id=300): the thing is closed"
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), str(back), back.code) == (ThingClosedError, str(error), 7)
    assert str(ThingError("no command")) == "no command"


def test_a_module_argument_error_is_both_kinds_and_names_the_field() -> None:
    error = ThingArgumentError("Poke (id=300)", "times", "an int >= 1", "3")
    assert str(error) == "Poke (id=300): times must be an int >= 1, got '3' (str)"
    assert isinstance(error, ThingError | CommandArgumentError | TypeError | ValueError)
    assert (error.field, error.expected, error.value) == ("times", "an int >= 1", "3")
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), str(back), back.field) == (ThingArgumentError, str(error), "times")
    with pytest.raises(CommandError):
        raise error
