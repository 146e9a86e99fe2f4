"""Timers: a ticker, a timer waited on, and a timer that fires as an event after a reset."""

import actorkit
from actorkit.modules import clock

MODULES = [clock.module()]


async def main(proc: actorkit.Process) -> list[str]:
    report: list[str] = []

    ticker = await proc.call(clock.TickerStart(0.01))  # a Tick event every 10 ms
    seqs = [(await proc.receive(kind=clock.Tick)).seq for _ in range(3)]
    await proc.call(clock.TickerStop(ticker))
    report.append(f"{len(seqs)} ticks, in order: {seqs == sorted(seqs)}")

    timer = await proc.call(clock.TimerStart(0.02))
    await proc.call(clock.TimerWait(timer))  # the call returns when the timer fires
    report.append("timer waited for")

    late = await proc.call(clock.TimerStart(10.0))
    await proc.call(clock.TimerReset(late, 0.01))  # re-arm it: fire 10 ms from now
    fired = await proc.receive(kind=clock.TimerFired)  # nobody waits: it arrives as an event
    report.append(f"reset timer fired: {fired.timer == late}")

    await proc.call(clock.Sleep(0.01))
    return report


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
