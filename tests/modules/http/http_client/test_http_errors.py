"""The http errors start from ModuleError / ModuleArgumentError, keep their names and
messages, and pickle with what they add (errors travel in messages)."""

from __future__ import annotations

import pickle

import pytest
import trio

from actorkit.errors import CommandArgumentError, ModuleArgumentError, ModuleError
from actorkit.modules import http

NAMES = {"command": "Request (id=60)", "target": "GET https://example.com/"}


@pytest.mark.parametrize(
    "cls",
    [
        http.HttpError,
        http.AddressRefusedError,
        http.HttpConnectionError,
        http.HttpTimeoutError,
        http.ResponseTooLargeError,
    ],
)
def test_http_errors_are_module_errors_and_pickle(cls: type[http.HttpError]) -> None:
    error = cls("it broke", **NAMES)
    assert isinstance(error, ModuleError)
    assert str(error) == "Request (id=60): GET https://example.com/: it broke"
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), str(back), back.target, back.detail) == (
        cls,
        str(error),
        NAMES["target"],
        "it broke",
    )


def test_http_timeout_is_too_slow_and_refusal_a_permission_error() -> None:
    assert isinstance(http.HttpTimeoutError("slow"), trio.TooSlowError)
    assert isinstance(http.AddressRefusedError("no"), PermissionError)


def test_http_argument_error_is_a_module_argument_error_and_pickles() -> None:
    with pytest.raises(http.HttpArgumentError) as info:
        http.Request("GET", "not a url")
    error = info.value
    assert isinstance(error, ModuleArgumentError | CommandArgumentError | ValueError)
    assert str(error).startswith("Request (id=60): url must be an absolute http:// or https:// URL")
    assert (error.field, error.value, error.target) == ("url", "not a url", "")
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), str(back), back.field, back.target) == (type(error), str(error), "url", "")
