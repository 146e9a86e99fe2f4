"""The command line: ``actorkit run file.py:fn`` / ``pkg.mod:fn``, exit codes, log formats."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

import pytest

CRASHING_CHILD = """
    import actorkit

    async def crash(proc: actorkit.Process) -> None:
        raise ValueError("child failed")

    async def main(proc: actorkit.Process) -> str:
        await proc.spawn(crash, monitor=True)
        await proc.receive(kind=actorkit.Exit)
        return "survived"
"""


def write(tmp_path: Path, name: str, source: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "actorkit.cli", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_run_file_prints_the_result(tmp_path: Path) -> None:
    write(
        tmp_path,
        "prog.py",
        """
        import actorkit
        from actorkit.modules import clock

        async def main(proc: actorkit.Process) -> str:
            await proc.call(clock.Sleep(0))  # the embedded defaults include the clock
            return f"answer {6 * 7} from {proc.pid}"
        """,
    )
    done = cli(tmp_path, "run", "prog.py:main", "--node-name", "cli")
    assert (done.returncode, done.stdout) == (0, "answer 42 from <cli.1>\n"), done.stderr


def test_cli_run_module_and_default_function(tmp_path: Path) -> None:
    write(
        tmp_path,
        "cli_target_mod.py",
        """
        import actorkit

        async def main(proc: actorkit.Process) -> None:
            return None

        async def other(proc: actorkit.Process) -> int:
            return 7
        """,
    )
    done = cli(tmp_path, "run", "cli_target_mod:other")
    assert (done.returncode, done.stdout) == (0, "7\n"), done.stderr
    silent = cli(tmp_path, "run", "cli_target_mod.py")  # no ":fn" means main; None prints nothing
    assert (silent.returncode, silent.stdout) == (0, ""), silent.stderr


def test_cli_uses_the_target_modules_list(tmp_path: Path) -> None:
    write(
        tmp_path,
        "custom.py",
        """
        import actorkit

        @actorkit.command(id=40900)
        class Shout(actorkit.Command[str]):
            text: str

        async def shout(ctx: actorkit.HandlerContext, cmd: Shout) -> str:
            return cmd.text.upper() + "!"

        MODULES = [actorkit.handlers("shout", {Shout: shout})]

        async def main(proc: actorkit.Process) -> str:
            return await proc.call(Shout("hey"))
        """,
    )
    done = cli(tmp_path, "run", "custom.py:main")
    assert (done.returncode, done.stdout) == (0, "HEY!\n"), done.stderr


def test_cli_failing_main_exits_1_with_a_readable_message(tmp_path: Path) -> None:
    write(
        tmp_path,
        "failing.py",
        """
        import actorkit

        async def main(proc: actorkit.Process) -> None:
            raise KeyError("missing setting")
        """,
    )
    done = cli(tmp_path, "run", "failing.py:main")
    assert done.returncode == 1
    assert done.stdout == ""
    last_line = done.stderr.strip().splitlines()[-1]
    assert last_line == "actorkit: main process <local.1> failed: KeyError: 'missing setting'"


def test_cli_json_logs_are_json_lines(tmp_path: Path) -> None:
    write(tmp_path, "crashing.py", CRASHING_CHILD)
    done = cli(tmp_path, "run", "crashing.py:main", "--json")
    assert (done.returncode, done.stdout) == (0, "survived\n"), done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    failed = [line for line in lines if line["event"] == "process_failed"]
    assert len(failed) == 1
    assert failed[0]["level"] == "warning"
    assert failed[0]["pid"] == "<local.2>"
    assert "ValueError: child failed" in failed[0]["exception"]


def test_cli_default_logs_are_human_readable(tmp_path: Path) -> None:
    write(tmp_path, "crashing.py", CRASHING_CHILD)
    done = cli(tmp_path, "run", "crashing.py:main")
    assert (done.returncode, done.stdout) == (0, "survived\n"), done.stderr
    assert "process_failed" in done.stderr
    with pytest.raises(json.JSONDecodeError):
        json.loads(done.stderr.splitlines()[0])


def test_cli_log_level_filters(tmp_path: Path) -> None:
    write(tmp_path, "crashing.py", CRASHING_CHILD)
    done = cli(tmp_path, "run", "crashing.py:main", "--log-level", "error")
    assert (done.returncode, done.stdout, done.stderr) == (0, "survived\n", "")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nowhere.py:main", "no such file"),
        ("no_such_module_here:main", "No module named"),
        ("target.py:absent", "has no attribute 'absent'"),
        ("target.py:VALUE", "VALUE is not an async function taking a Process"),
    ],
)
def test_cli_bad_target_exits_2(tmp_path: Path, target: str, message: str) -> None:
    write(tmp_path, "target.py", "VALUE = 1\n")
    done = cli(tmp_path, "run", target)
    assert done.returncode == 2
    assert done.stderr.startswith(f"actorkit: cannot load {target!r}: ")
    assert message in done.stderr


@pytest.mark.parametrize(
    "source",
    ["def main(:\n", "raise RuntimeError('at import')\n", "def main(proc):\n    return 1\n"],
    ids=["syntax-error", "raises-at-import", "not-async"],
)
def test_cli_unloadable_target_exits_2(tmp_path: Path, source: str) -> None:
    write(tmp_path, "broken.py", source)
    done = cli(tmp_path, "run", "broken.py:main")
    assert done.returncode == 2
    assert done.stderr.startswith("actorkit: cannot load 'broken.py:main': ")


def test_cli_boot_failure_exits_2(tmp_path: Path) -> None:
    write(
        tmp_path,
        "bootfail.py",
        """
        import actorkit

        async def refuse(boot: actorkit.Boot) -> None:
            raise RuntimeError("no database")

        MODULES = [actorkit.Component("db", start=refuse)]

        async def main(proc: actorkit.Process) -> None:
            return None
        """,
    )
    done = cli(tmp_path, "run", "bootfail.py:main")
    assert done.returncode == 2
    assert "actorkit: boot failed: component 'db' failed to start: no database" in done.stderr


def test_cli_usage_errors(tmp_path: Path) -> None:
    no_command = cli(tmp_path)
    assert no_command.returncode == 2
    assert "usage: actorkit" in no_command.stderr
    bad_level = cli(tmp_path, "run", "x.py:main", "--log-level", "loud")
    assert bad_level.returncode != 0
    assert "unknown log level 'loud'" in bad_level.stderr


def test_cli_grace_bounds_the_shutdown(tmp_path: Path) -> None:
    write(
        tmp_path,
        "stubborn.py",
        """
        import sys

        import trio

        import actorkit
        from actorkit.modules import clock

        async def stubborn(proc: actorkit.Process) -> None:
            try:
                await proc.receive()
            except actorkit.CancelRequested:
                start = trio.current_time()
                try:
                    await proc.call(clock.Sleep(3600))  # ignores the Cancel
                finally:
                    print(f"cancelled after {trio.current_time() - start:.3f}", file=sys.stderr)

        async def main(proc: actorkit.Process) -> str:
            await proc.spawn(stubborn)
            return "main done"
        """,
    )
    done = cli(tmp_path, "run", "stubborn.py:main", "--grace", "0.2")
    assert (done.returncode, done.stdout) == (0, "main done\n"), done.stderr
    [line] = [line for line in done.stderr.splitlines() if line.startswith("cancelled after")]
    assert 0.2 <= float(line.split()[-1]) < 5.0


SERVICE = """
    import actorkit
    from actorkit.modules import sql

    MODULES = [sql.sqlite("main", "service.db")]


    async def note(proc: actorkit.Process, line: str) -> None:
        await proc.call(sql.Execute("main", "INSERT INTO log VALUES (?)", [line]))


    async def worker(proc: actorkit.Process) -> None:
        try:
            await proc.receive(topic="never")
        except actorkit.CancelRequested as exc:
            await note(proc, f"worker: {exc.reason}")
            raise


    async def main(proc: actorkit.Process) -> str:
        await proc.call(sql.Execute("main", "CREATE TABLE log (line TEXT)"))
        await proc.spawn(worker, link=True)
        await note(proc, "started")
        print("ready", flush=True)
        try:
            await proc.receive(topic="never")
        except actorkit.CancelRequested as exc:
            await note(proc, f"main: {exc.reason}")
        return "cleaned up"
"""


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_cli_signal_stops_the_node_gracefully(tmp_path: Path, signum: int, code: int) -> None:
    write(tmp_path, "service.py", SERVICE)
    child = subprocess.Popen(
        [sys.executable, "-m", "actorkit.cli", "run", "service.py:main"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    ready = child.stdout.readline()  # the program is up: the node and its database too
    child.send_signal(signum)
    out, err = child.communicate(timeout=60)
    assert (ready, out, child.returncode) == ("ready\n", "cleaned up\n", code), err
    assert err.strip().splitlines()[-1] == f"actorkit: stopped by {signal.Signals(signum).name}"
    # the database was closed: no -wal or -shm file left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["service.db", "service.py"]
    db = sqlite3.connect(tmp_path / "service.db")
    lines = sorted(row[0] for row in db.execute("SELECT line FROM log"))
    db.close()
    assert lines == ["main: shutdown", "started", "worker: shutdown"]


def actorkit_script() -> str:
    return str(Path(sys.executable).with_name("actorkit"))


def test_cli_entry_point_finds_modules_in_the_current_directory(tmp_path: Path) -> None:
    write(tmp_path, "here_mod.py", "async def main(proc):\n    return 'found'\n")
    done = subprocess.run(
        [actorkit_script(), "run", "here_mod:main"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "found\n"), done.stderr


def test_cli_arguments_after_double_dash_reach_main(tmp_path: Path) -> None:
    write(
        tmp_path,
        "args.py",
        """
        async def main(proc, *argv: str) -> str:
            return repr(argv)
        """,
    )
    done = cli(tmp_path, "run", "args.py:main", "--node-name", "n", "--", "a", "--json", "-x")
    assert (done.returncode, done.stdout) == (0, "('a', '--json', '-x')\n"), done.stderr


@pytest.mark.parametrize(
    ("source", "args", "message"),
    [
        (
            "async def main(proc, count): ...",
            (),
            "main(proc, count) cannot be called as main(proc): missing a required argument",
        ),
        ("async def main(): ...", (), "main() cannot be called as main(proc): too many"),
        (
            "async def main(proc): ...",
            ("--", "extra"),
            "main(proc) cannot be called as main(proc, 'extra'): too many",
        ),
    ],
    ids=["missing-argument", "no-process", "extra-argument"],
)
def test_cli_main_with_the_wrong_signature_is_refused_at_load(
    tmp_path: Path, source: str, args: tuple[str, ...], message: str
) -> None:
    write(tmp_path, "sig.py", source + "\n")
    done = cli(tmp_path, "run", "sig.py:main", *args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("actorkit: cannot load 'sig.py:main': TypeError: " + message)


def test_cli_version(tmp_path: Path) -> None:
    done = cli(tmp_path, "--version")
    assert (done.returncode, done.stdout) == (0, f"actorkit {version('actorkit')}\n")


@pytest.mark.parametrize("args", [("--help",), ("run", "--help"), ("top", "--help")])
def test_cli_help_has_no_raw_markup(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = cli(tmp_path, *args)
    assert done.returncode == 0
    assert "usage: actorkit" in done.stdout
    assert [mark for mark in ("``", ":func:", ":class:") if mark in done.stdout] == []


def test_cli_logs_have_no_colours_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    write(tmp_path, "crashing.py", CRASHING_CHILD)
    done = cli(tmp_path, "run", "crashing.py:main")
    assert "process_failed" in done.stderr
    assert "\x1b[" not in done.stderr


LOGS_A_FLOAT = """
    import structlog

    async def main(proc) -> None:
        structlog.get_logger("app").info("timed", took=0.1 + 0.2, tiny=0.000123456, big=1234.56789)
"""


def test_cli_logs_round_floats(tmp_path: Path) -> None:
    write(tmp_path, "floats.py", LOGS_A_FLOAT)
    readable = cli(tmp_path, "run", "floats.py:main")
    assert "big=1234.568 " in readable.stderr, readable.stderr
    assert readable.stderr.rstrip().endswith(" tiny=0.000123 took=0.3")
    as_json = cli(tmp_path, "run", "floats.py:main", "--json")
    [timed] = [json.loads(line) for line in as_json.stderr.splitlines() if '"timed"' in line]
    assert (timed["took"], timed["tiny"], timed["big"]) == (0.3, 0.000123, 1234.568)


def test_cli_run_web_serves_the_live_view_on_loopback(tmp_path: Path) -> None:
    write(
        tmp_path,
        "prog.py",
        """
        import httpx

        import actorkit
        from actorkit.observer.web import web_address

        async def main(proc: actorkit.Process) -> str:
            host, port = web_address(proc.node)
            async with httpx.AsyncClient() as client:
                page = await client.get(f"http://{host}:{port}/")
            return f"{host} {page.status_code} {'<svg' in page.text or 'tree' in page.text}"
        """,
    )
    done = cli(tmp_path, "run", "--web", ":0", "prog.py:main")
    assert (done.returncode, done.stdout) == (0, "127.0.0.1 200 True\n"), done.stderr


def test_cli_run_web_refuses_a_bad_address(tmp_path: Path) -> None:
    write(tmp_path, "prog.py", "async def main(proc: object) -> None:\n    pass\n")
    done = cli(tmp_path, "run", "--web", "nowhere", "prog.py:main")
    assert done.returncode == 2
    assert "--web" in done.stderr and "port must be a number" in done.stderr
