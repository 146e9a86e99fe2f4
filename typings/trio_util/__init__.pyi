# Type stub for trio-util 0.8 (the package ships no annotations we can trust under
# mypy --strict / pyright strict). Written against trio_util/__init__.py of 0.8.0.
#
# Deliberately absent: defer_to_cancelled and multi_error_defer_to. Both catch
# trio.MultiError, which Trio removed (0.25+), so they raise AttributeError as soon
# as an exception reaches them. Leaving them out makes any use a type error.

from collections import defaultdict
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Any, Generic, ParamSpec, TypeVar, overload

import trio

__version__: str

_T = TypeVar("_T")
_T1 = TypeVar("_T1")
_T2 = TypeVar("_T2")
_T_OUT = TypeVar("_T_OUT")
_F = TypeVar("_F")
_P = ParamSpec("_P")

class AsyncValue(Generic[_T]):
    def __init__(self, value: _T) -> None: ...
    @property
    def value(self) -> _T: ...
    @value.setter
    def value(self, x: _T) -> None: ...
    async def wait_value(
        self, value_or_predicate: _T | Callable[[_T], bool], *, held_for: float = 0.0
    ) -> _T: ...
    def eventual_values(
        self, value_or_predicate: _T | Callable[[_T], bool] = ..., held_for: float = 0.0
    ) -> AsyncGenerator[_T, None]: ...
    async def wait_transition(
        self, value_or_predicate: _T | Callable[[_T, _T], bool] = ...
    ) -> tuple[_T, _T]: ...
    def transitions(
        self, value_or_predicate: _T | Callable[[_T, _T], bool] = ...
    ) -> AsyncGenerator[tuple[_T, _T], None]: ...
    def open_transform(
        self, function: Callable[[_T], _T_OUT]
    ) -> AbstractContextManager[AsyncValue[_T_OUT]]: ...

class AsyncBool(AsyncValue[bool]):
    def __init__(self, value: bool = False) -> None: ...

class RepeatedEvent:
    def __init__(self) -> None: ...
    def set(self) -> None: ...
    async def wait(self) -> None: ...
    def unqueued_events(self) -> AsyncGenerator[None, None]: ...
    def events(self, *, repeat_last: bool = False) -> AsyncGenerator[None, None]: ...

def periodic(period: float) -> AsyncGenerator[tuple[float, float | None], None]: ...
async def wait_any(*args: Callable[[], Awaitable[object]]) -> None: ...
async def wait_all(*args: Callable[[], Awaitable[object]]) -> None: ...
def move_on_when(
    fn: Callable[_P, Awaitable[object]], *args: _P.args, **kwargs: _P.kwargs
) -> AbstractAsyncContextManager[trio.CancelScope]: ...
def run_and_cancelling(
    fn: Callable[_P, Awaitable[object]], *args: _P.args, **kwargs: _P.kwargs
) -> AbstractAsyncContextManager[None]: ...

# The composite value is a namedtuple named after the keywords, hence Any.
@overload
def compose_values(
    *, _transform_: Callable[[Any], _T_OUT], **value_map: AsyncValue[Any]
) -> AbstractContextManager[AsyncValue[_T_OUT]]: ...
@overload
def compose_values(
    *, _transform_: None = None, **value_map: AsyncValue[Any]
) -> AbstractContextManager[AsyncValue[Any]]: ...

class iter_move_on_after(AsyncIterator[_T]):
    def __init__(self, timeout: float, ait: AsyncIterator[_T]) -> None: ...
    async def __anext__(self) -> _T: ...

class iter_fail_after(AsyncIterator[_T]):
    def __init__(self, timeout: float, ait: AsyncIterator[_T]) -> None: ...
    async def __anext__(self) -> _T: ...

@overload
def azip(
    a: AsyncIterable[_T1], b: AsyncIterable[_T2], /
) -> AsyncGenerator[tuple[_T1, _T2], None]: ...
@overload
def azip(*aiterables: AsyncIterable[Any]) -> AsyncGenerator[tuple[Any, ...], None]: ...
@overload
def azip_longest(
    a: AsyncIterable[_T1], b: AsyncIterable[_T2], /
) -> AsyncGenerator[tuple[_T1 | None, _T2 | None], None]: ...
@overload
def azip_longest(
    a: AsyncIterable[_T1], b: AsyncIterable[_T2], /, *, fillvalue: _F
) -> AsyncGenerator[tuple[_T1 | _F, _T2 | _F], None]: ...
@overload
def azip_longest(
    *aiterables: AsyncIterable[Any], fillvalue: object = None
) -> AsyncGenerator[tuple[Any, ...], None]: ...
def trio_async_generator(
    wrapped: Callable[_P, AsyncGenerator[_T, None]],
) -> Callable[_P, AbstractAsyncContextManager[trio.MemoryReceiveChannel[_T]]]: ...

class TaskStats(trio.abc.Instrument):
    slow_task_threshold: float
    high_rate_task_threshold: float
    current_time: Callable[[], float]
    scheduled_start: dict[trio.lowlevel.Task, float]
    max_wait: float
    task_step_start: float | None
    slow_task_steps: defaultdict[str, list[float]]
    schedule_counts: defaultdict[str, int]
    rate_start: float
    high_schedule_rates: defaultdict[str, float]
    def __init__(
        self,
        *,
        slow_task_threshold: float = 0.01,
        high_rate_task_threshold: float = 100,
        current_time: Callable[[], float] = ...,
    ) -> None: ...
    def task_scheduled(self, task: trio.lowlevel.Task) -> None: ...
    def before_task_step(self, task: trio.lowlevel.Task) -> None: ...
    def after_task_step(self, task: trio.lowlevel.Task) -> None: ...
    def after_run(self) -> None: ...
