"""exec against real OS processes (sh, cat, python): Start with pipes as streams,
ProcessWait, Signal, Stop, the allow-list, and no child outliving its owner."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import cast

import pytest
import trio

import actorkit
from actorkit.lowlevel import Component
from actorkit.modules import exec as exec_
from actorkit.modules import stream
from actorkit.testing import open_test_node

ALLOW = ["sh", "cat", sys.executable]
GRACE = 0.2  # seconds between SIGTERM and SIGKILL: short, but no assertion depends on it
IGNORES_TERM = 'trap "" TERM; echo ready; while :; do sleep 0.05; done'


def modules(env: dict[str, str] | None = None) -> list[Component]:
    return [stream.module(), exec_.module(allow=ALLOW, env=env, kill_grace=GRACE)]


async def read_all(proc: actorkit.Process, handle: stream.StreamHandle | None) -> bytes:
    assert handle is not None
    out = b""
    while chunk := await proc.call(stream.Read(handle)):
        out += chunk
    return out


def alive(os_pid: int) -> bool:
    """The OS still has process ``os_pid`` (running, or exited but not reaped)."""
    return os.path.exists(f"/proc/{os_pid}")


async def gone(os_pid: int) -> None:
    """Wait until the OS has no process ``os_pid`` (killed and reaped), for at most 10 s.

    The OS gives no event for another process's end, so this polls ``/proc``.
    """
    with trio.fail_after(10):
        while alive(os_pid):  # noqa: ASYNC110
            await trio.sleep(0.01)


async def test_exec_cat_round_trip() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        child = await proc.call(exec_.Start(["cat"]))
        assert child.stdin is not None and child.stdin.writable
        assert child.owner == proc.pid and child.os_pid > 0
        await proc.call(stream.Write(child.stdin, b"hello\nworld\n"))
        await proc.call(stream.Close(child.stdin))
        assert await read_all(proc, child.stdout) == b"hello\nworld\n"
        status = await proc.call(exec_.ProcessWait(child))
        assert status == exec_.ExitStatus(0) and status.ok and status.signal is None
        assert await proc.call(exec_.ProcessWait(child)) == status  # again: same answer


async def test_exec_env_cwd_and_exit_code(tmp_path: Path) -> None:
    script = 'echo "$GREETING $BASE $(pwd) ${HOME:-nohome}" >&2; exit 3'
    async with (
        open_test_node(modules=modules(env={"BASE": "b"})) as node,
        node.process() as proc,
    ):
        child = await proc.call(
            exec_.Start(["sh", "-c", script], env={"GREETING": "hi"}, cwd=str(tmp_path))
        )
        err = await read_all(proc, child.stderr)
        assert err.decode() == f"hi b {tmp_path} nohome\n"  # the node's env is not inherited
        assert (await proc.call(exec_.ProcessWait(child))).returncode == 3


async def test_exec_python_child_and_stdio_options() -> None:
    code = "import sys; print(sys.stdin.read() == '', flush=True)"
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        child = await proc.call(
            exec_.Start([sys.executable, "-c", code], stdin="null", stderr="null")
        )
        assert child.stdin is None and child.stderr is None
        assert await read_all(proc, child.stdout) == b"True\n"
        assert (await proc.call(exec_.ProcessWait(child))).ok


async def test_exec_refuses_executables_off_the_allow_list() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        with pytest.raises(exec_.ExecNotAllowedError) as caught:
            await proc.call(exec_.Start(["/bin/sh", "-c", "true"]))  # exact match only
        assert str(caught.value).startswith("Start (id=151): executable '/bin/sh' is not allowed")
        assert caught.value.executable == "/bin/sh"


async def test_exec_allows_nothing_by_default() -> None:
    async with (
        open_test_node(modules=[stream.module(), exec_.module()]) as node,
        node.process() as proc,
    ):
        with pytest.raises(exec_.ExecNotAllowedError, match="'sh' is not allowed"):
            await proc.call(exec_.Start(["sh", "-c", "true"]))


async def test_exec_start_error_names_the_cause(tmp_path: Path) -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        with pytest.raises(exec_.ExecStartError, match=r"^Start \(id=151\): cannot start 'cat'"):
            await proc.call(exec_.Start(["cat"], cwd=str(tmp_path / "missing")))


FAKE = exec_.OSProcess(1, actorkit.PID("test", 1), 1, "cat", None, None, None)


def test_exec_bad_fields_name_command_id_and_field() -> None:
    with pytest.raises(exec_.ExecArgumentError, match=r"^Start \(id=151\): argv must be"):
        exec_.Start([])
    with pytest.raises(exec_.ExecArgumentError, match=r"^Start \(id=151\): env must be"):
        exec_.Start(["cat"], env={"A=B": "c"})
    with pytest.raises(exec_.ExecArgumentError, match=r"^Start \(id=151\): stdout must be"):
        exec_.Start(["cat"], stdout="file")
    with pytest.raises(exec_.ExecArgumentError, match=r"^ProcessWait \(id=150\): process must"):
        exec_.ProcessWait(42)  # type: ignore[arg-type]
    with pytest.raises(exec_.ExecArgumentError, match=r"^Stop \(id=153\): grace must be"):
        exec_.Stop(FAKE, grace=-1)
    with pytest.raises(exec_.ExecArgumentError, match=r"^Signal \(id=152\): signum must be"):
        exec_.Signal(FAKE, 12345)


def test_exec_module_options_are_checked() -> None:
    with pytest.raises(ValueError, match="kill_grace"):
        exec_.module(kill_grace=-1)
    with pytest.raises(ValueError, match="allow"):
        exec_.module(allow=[""])


async def test_exec_unknown_executable_fails_boot() -> None:
    with pytest.raises(actorkit.errors.BootError, match="no-such-program-xyz"):
        async with open_test_node(
            modules=[stream.module(), exec_.module(allow=["no-such-program-xyz"])]
        ):
            pass


async def test_exec_signal_and_stop() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        child = await proc.call(exec_.Start(["cat"]))
        assert await proc.call(exec_.Signal(child, signal.SIGUSR1)) is True
        status = await proc.call(exec_.ProcessWait(child))
        assert status.signal == signal.SIGUSR1
        assert await proc.call(exec_.Signal(child, signal.SIGTERM)) is False  # already exited
        child = await proc.call(exec_.Start(["cat"]))
        assert (await proc.call(exec_.Stop(child))).signal == signal.SIGTERM


async def test_exec_stop_kills_a_child_that_ignores_sigterm() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        child = await proc.call(exec_.Start(["sh", "-c", IGNORES_TERM]))
        assert child.stdout is not None
        assert await proc.call(stream.Read(child.stdout)) == b"ready\n"
        status = await proc.call(exec_.Stop(child, grace=GRACE))
        assert status.signal == signal.SIGKILL
        await gone(child.os_pid)


async def test_exec_wait_cancelled_leaves_child_owned() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        child = await proc.call(exec_.Start(["cat"]))
        with pytest.raises(trio.TooSlowError):
            await proc.call(exec_.ProcessWait(child), timeout=0.05)
        assert alive(child.os_pid)
        assert child.stdin is not None
        await proc.call(stream.Close(child.stdin))
        assert (await proc.call(exec_.ProcessWait(child))).ok


@pytest.mark.parametrize("how", ["return", "crash", "terminate"])
async def test_exec_child_dies_with_its_owner(how: str) -> None:
    async def owner(proc: actorkit.Process) -> None:
        child = await proc.call(exec_.Start(["sh", "-c", IGNORES_TERM]))
        assert child.stdout is not None
        await proc.call(stream.Read(child.stdout))  # the trap is set
        await proc.send("test", "child", child)
        if how == "crash":
            raise RuntimeError("crashed owning a child")
        if how == "terminate":
            await proc.receive(topic="never")

    async with open_test_node(modules=modules()) as node, node.process(name="test") as me:
        pid = node.spawn(owner)
        child = cast("exec_.OSProcess", (await me.receive(topic="child")).payload)
        if how == "terminate":
            await me.terminate(pid)
        await node.wait(pid)
        await gone(child.os_pid)
        with pytest.raises(exec_.ExecGoneError, match=r"^ProcessWait \(id=150\): OS process"):
            await me.call(exec_.ProcessWait(child))


async def test_exec_other_process_may_not_use_a_child() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        child = await proc.call(exec_.Start(["cat"]))
        async with node.process() as other:
            with pytest.raises(exec_.ExecOwnerError, match=r"^Signal \(id=152\): .* belongs to"):
                await other.call(exec_.Signal(child, signal.SIGTERM))
            assert child.stdin is not None
            with pytest.raises(stream.StreamOwnerError, match=r"^Write \(id=52\): .* belongs to"):
                await other.call(stream.Write(child.stdin, b"x"))
        await proc.call(exec_.Stop(child))


async def test_exec_node_shutdown_stops_children() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        child = await proc.call(exec_.Start(["sh", "-c", IGNORES_TERM]))
        assert child.stdout is not None
        await proc.call(stream.Read(child.stdout))
    await gone(child.os_pid)


async def test_exec_slow_reader_holds_the_child_back() -> None:
    size = 1 << 20  # far more than a pipe holds: the child cannot finish until it is read
    code = f"import sys; sys.stdout.buffer.write(b'x' * {size})"
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        child = await proc.call(exec_.Start([sys.executable, "-c", code], stdin="null"))
        assert child.stdout is not None
        with pytest.raises(trio.TooSlowError):
            await proc.call(exec_.ProcessWait(child), timeout=0.2)
        total = 0
        while chunk := await proc.call(stream.Read(child.stdout, 4096)):
            assert len(chunk) <= 4096
            total += len(chunk)
        assert total == size
        assert (await proc.call(exec_.ProcessWait(child))).ok
        assert (await proc.call(stream.Stat(child.stdout))).bytes_read == size


async def test_exec_needs_the_stream_module() -> None:
    with pytest.raises(actorkit.errors.BootError, match="depends on 'stream'"):
        async with open_test_node(modules=[exec_.module(allow=["cat"])]):
            pass
