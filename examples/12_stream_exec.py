"""Streams and exec: run an allowed program, feed its stdin, scan its stdout line by line."""

import actorkit
from actorkit.modules import exec, stream

MODULES = [stream.module(), exec.module(allow=["sort"])]


async def main(proc: actorkit.Process) -> str:
    child = await proc.call(exec.Start(["sort"], stderr="null"))
    assert child.stdin is not None and child.stdout is not None
    await proc.call(stream.Write(child.stdin, b"plums\r\napples\npears\n"))
    await proc.call(stream.Close(child.stdin))  # sort sees end-of-file and answers

    scanner = await proc.call(stream.ScannerCreate(child.stdout, max_token_size=1024))
    lines: list[str] = []
    while (line := await proc.call(stream.ScannerScan(scanner))) is not None:
        lines.append(line.decode())
    status = await proc.call(exec.ProcessWait(child))

    denied = ""
    try:
        await proc.call(exec.Start(["rm", "-rf", "/tmp/x"]))
    except exec.ExecNotAllowedError as refused:
        denied = refused.executable
    return f"sort gave {lines}, exit {status.returncode}; {denied!r} refused"


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
