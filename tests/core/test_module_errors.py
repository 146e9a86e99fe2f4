"""The bases a module's errors start from: ``ModuleError`` and ``ModuleArgumentError``."""

from __future__ import annotations

import pickle

import pytest

from actorkit.errors import CommandArgumentError, CommandError, ModuleArgumentError, ModuleError
from actorkit.modules.eval.errors import EvalArgumentError, EvalError
from actorkit.modules.sql.errors import SqlArgumentError, SqlError, SqlOutcomeUnknownError
from actorkit.modules.store.errors import (
    OutcomeUnknownError,
    StoreError,
    StoreFullError,
    StoreInputError,
)


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


MODULE_ERRORS: list[tuple[type[ModuleError], type[ModuleArgumentError]]] = [
    (StoreError, StoreInputError),
    (SqlError, SqlArgumentError),
    (EvalError, EvalArgumentError),
]


@pytest.mark.parametrize(("base", "argument"), MODULE_ERRORS)
def test_store_sql_and_eval_errors_start_from_the_module_bases(
    base: type[ModuleError], argument: type[ModuleArgumentError]
) -> None:
    assert issubclass(base, ModuleError)
    assert issubclass(argument, base) and issubclass(argument, ModuleArgumentError)
    error = argument("Get (id=120)", "key", "a str", 3)
    assert str(error) == "Get (id=120): key must be a str, got 3 (int)"
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), str(back), back.command, back.field) == (
        argument,
        str(error),
        "Get (id=120)",
        "key",
    )


def test_store_errors_with_their_own_arguments_pickle_whole() -> None:
    full = StoreFullError("cache", 3)
    full.command = "Set (id=121)"
    back = pickle.loads(pickle.dumps(full))
    assert (str(back), back.store, back.max_size) == (str(full), "cache", 3)
    assert str(back) == "Set (id=121): store 'cache' is full (max_size=3 keys)"
    lost = OutcomeUnknownError("cache", "k", command="Set (id=121)")
    assert str(pickle.loads(pickle.dumps(lost))) == str(lost)


def test_sql_errors_keep_their_message_and_fields_on_the_module_base() -> None:
    error = SqlOutcomeUnknownError(
        "Query (id=100)", "gone", database="main", statement="SELECT 1", backend="sqlite"
    )
    assert str(error) == "Query (id=100) on 'main' (sqlite): gone; statement: SELECT 1"
    assert (error.command, error.detail) == ("Query (id=100)", "gone")
    back = pickle.loads(pickle.dumps(error))
    assert isinstance(back, SqlError)
    assert (type(back), str(back), back.statement) == (type(error), str(error), "SELECT 1")
