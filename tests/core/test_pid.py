"""PIDs print as ``<node.serial>`` and read back with ``PID.parse``."""

from __future__ import annotations

import pytest

import actorkit
from actorkit import PID


def test_pid_parse_reads_back_what_str_printed() -> None:
    for pid in (PID("local", 7), PID("a.b", 12), PID("n-1", 0)):
        assert PID.parse(str(pid)) == pid
    assert PID.parse("<cluster.node.3>") == PID("cluster.node", 3)  # the last dot splits


@pytest.mark.parametrize(
    "text", ["local.7", "<local>", "<.7>", "<local.>", "<local.x>", "<local.-1>", "<local.7", ""]
)
def test_pid_parse_refuses_anything_else_and_quotes_it(text: str) -> None:
    with pytest.raises(ValueError, match="not a PID") as caught:
        PID.parse(text)
    assert repr(text) in str(caught.value)


def test_pid_parse_refuses_a_value_that_is_not_text() -> None:
    with pytest.raises(ValueError, match=r"not a PID: 7 "):
        PID.parse(7)  # type: ignore[arg-type]


async def test_pid_parse_names_a_live_process(node: actorkit.Node) -> None:
    async with node.process(name="parsed") as proc:
        assert node.name_of(PID.parse(str(proc.pid))) == "parsed"
