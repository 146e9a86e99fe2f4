"""The workflow module's errors start from the module bases and pickle whole."""

from __future__ import annotations

import pickle

import pytest

from actorkit.errors import CommandArgumentError, ModuleArgumentError, ModuleError
from actorkit.modules import workflow

ERRORS: list[workflow.WorkflowError] = [
    workflow.WorkflowError("no activity named 'x'", command="Call (id=181)"),
    workflow.NonDeterminismError("w-1", 3, "Call (id=181) {}", "SideEffect (id=180) {}"),
    workflow.EncodingError("Call (id=181)", object(), "object values cannot be journaled"),
    workflow.ActivityError("builtins.KeyError", "'k'"),
    workflow.VersionError("change 'c' has version 3"),
    workflow.NotAllowedError("Receive (id=186) runs only inside a workflow"),
    workflow.WorkflowNotFoundError("no workflow has the ID 'w'"),
    workflow.WorkflowFailedError("w-1", "failed", "KeyError: 'k'"),
    workflow.HistoryLimitError("the limit"),
    workflow.JournalError("the journal failed"),
]


def test_the_workflow_errors_start_from_module_error() -> None:
    assert issubclass(workflow.WorkflowError, ModuleError)
    arg = workflow.WorkflowArgumentError
    assert issubclass(arg, workflow.WorkflowError) and issubclass(arg, ModuleArgumentError)
    assert issubclass(arg, CommandArgumentError | TypeError | ValueError)


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_each_workflow_error_pickles_with_its_message_and_fields(
    error: workflow.WorkflowError,
) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), str(back), back.command) == (type(error), str(error), error.command)
    assert back.__dict__ == error.__dict__


def test_messages_name_the_command() -> None:
    assert str(ERRORS[0]) == "Call (id=181): no activity named 'x'"
    assert str(ERRORS[2]).startswith("Call (id=181): cannot journal <object object at")
    error = workflow.WorkflowArgumentError("Receive (id=186)", "name", "a non-empty str", 3)
    back = pickle.loads(pickle.dumps(error))
    assert str(back) == "Receive (id=186): name must be a non-empty str, got 3 (int)"
    assert (back.field, back.value) == ("name", 3)
