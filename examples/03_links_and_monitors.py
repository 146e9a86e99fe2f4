"""Links and monitors: watch one worker finish, survive a linked worker's crash."""

import actorkit


async def worker(proc: actorkit.Process, factor: int) -> int:
    job = await proc.receive("job")
    if not isinstance(job.payload, int) or job.payload < 0:
        raise ValueError(f"bad job {job.payload!r}")
    return job.payload * factor


async def main(proc: actorkit.Process) -> list[str]:
    report: list[str] = []

    # A monitor is one-way: an Exit event arrives whenever the worker exits.
    watched = await proc.spawn(worker, 2, monitor=True)
    await proc.send(watched, "job", 21)
    done = await proc.receive(kind=actorkit.Exit)
    report.append(f"monitored worker: {done.reason}, result {done.result}")

    # A link is two-way: a crash would take main down too, unless main traps links.
    proc.trap_links = True
    linked = await proc.spawn(worker, 2, link=True)
    await proc.send(linked, "job", -1)
    down = await proc.receive(kind=actorkit.LinkDown)
    report.append(f"linked worker: {type(down.error).__name__}: {down.error}")

    # Monitoring a process that is already gone delivers Exit(noproc) at once.
    await proc.monitor(linked)
    gone = await proc.receive(kind=actorkit.Exit)
    report.append(f"monitoring it afterwards: {gone.reason}")
    return report


if __name__ == "__main__":
    print(actorkit.run(main))
