"""Child specs and supervisor specs check what they are given."""

from __future__ import annotations

import math

import pytest

import actorkit

from .supervision_kit import spec, worker


def test_child_spec_defaults() -> None:
    child = actorkit.ChildSpec("w", worker)
    assert (child.args, child.restart, child.shutdown, child.name) == ((), "permanent", 5.0, None)
    assert child.grace == 5.0


def test_child_spec_brutal_shutdown_has_no_grace() -> None:
    assert actorkit.ChildSpec("w", worker, shutdown="brutal").grace == 0.0


def test_child_spec_of_a_supervisor_waits_for_it_without_limit() -> None:
    child = actorkit.ChildSpec("sub", actorkit.Supervisor())
    assert child.shutdown == math.inf


def test_child_spec_args_become_a_tuple() -> None:
    assert actorkit.ChildSpec("w", worker, [1, 2]).args == (1, 2)


def test_child_spec_rejects_a_function_that_is_not_async() -> None:
    with pytest.raises(TypeError, match="async function"):
        actorkit.ChildSpec("w", print)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"restart": "sometimes"}, ValueError),
        ({"shutdown": -1.0}, ValueError),
        ({"shutdown": "gently"}, ValueError),
    ],
)
def test_child_spec_rejects_bad_options(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        actorkit.ChildSpec("w", worker, **kwargs)  # type: ignore[arg-type]


def test_supervisor_defaults() -> None:
    sup = actorkit.Supervisor()
    assert (sup.strategy, sup.max_restarts, sup.period, sup.stable_period) == (
        "one_for_one",
        3,
        5.0,
        5.0,
    )
    assert sup.backoff == actorkit.Backoff()


def test_supervisor_rejects_duplicate_child_ids() -> None:
    with pytest.raises(ValueError, match="two children have the id 'a'"):
        actorkit.Supervisor([spec("a"), spec("a")])


def test_supervisor_rejects_what_is_not_a_child_spec() -> None:
    with pytest.raises(TypeError, match="ChildSpecs"):
        actorkit.Supervisor([worker])  # type: ignore[list-item]


@pytest.mark.parametrize(
    "kwargs",
    [{"strategy": "all_for_none"}, {"max_restarts": -1}, {"period": 0}, {"stable_period": -1}],
)
def test_supervisor_rejects_bad_options(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        actorkit.Supervisor(**kwargs)  # type: ignore[arg-type]


def test_restart_limit_error_names_supervisor_and_child() -> None:
    error = actorkit.RestartLimitError("app/db", "conn", 3, 5.0)
    assert str(error) == (
        "supervisor app/db gave up: child 'conn' broke the restart limit of 3 in 5.0s"
    )
    assert isinstance(error, actorkit.SupervisorError)
    assert isinstance(error, actorkit.ActorkitError)
