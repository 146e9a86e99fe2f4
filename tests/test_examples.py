"""Every examples/NN_*.py runs to the end: as a script (actorkit.run) and with the CLI.

``actorkit run`` boots the example's ``MODULES`` list, or the embedded defaults when it has
none, so an example that needs other modules must declare them in ``MODULES``.
"""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import structlog.testing

EXAMPLES_DIR = Path(__file__).parent.parent / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("[0-9][0-9]_*.py"))

EXPECTED = {
    "01_hello": "Hello, actorkit!",
    "02_request_reply": "{'apples': 3, 'pears': 5, 'plums': None}",
    "03_links_and_monitors": str(
        [
            "monitored worker: normal, result 42",
            "linked worker: ValueError: bad job -1",
            "monitoring it afterwards: noproc",
        ]
    ),
    "04_timers": str(["3 ticks, in order: True", "timer waited for", "reset timer fired: True"]),
    "05_custom_command": "bonjour monde; failed: no de word for 'goodbye'",
    "09_demo": "orders by item [('cake', 1), ('tea', 5)]; cached tea total 5; restarts 1",
    "11_servers": "the room heard 6 results: client 1: 1^2 = 1 ... client 6: 6^2 = 36",
    "12_stream_exec": "sort gave ['apples', 'pears', 'plums'], exit 0; 'rm' refused",
    "13_http": "200 hello, actorkit; batch [200, 404]; streamed b'hello'; 169.254.169.254 refused",
    "14_eval": (
        "score(actor)=57; lua process trio=62 lua=34 trio=124, served 3; "
        "refused: escape:1: attempt to index a nil value (global 'io')"
    ),
    "15_security": (
        "ada read 'up 5%'; store.set on 'reports' refused; after revoking, the token is revoked"
    ),
    "16_workflow": (
        "o-1 paid 5 for tea; o-2 cancelled, cake released (card declined); orders recorded: 1"
    ),
    "17_cache": (
        "tea costs [5, 5, 5] for 3 callers and 5 from the cache; 1 lookup of tea; "
        "no price for 'scones'"
    ),
    "18_cloudstorage": (
        "listed 3 in 2 pages; range b'report b' of 18 bytes; overwrite refused True; "
        "URL grants GET reports/c.txt; deleted 3"
    ),
    "19_gateway": (
        "order 2 is cake; order 9 gives 404; live feed pushed ['order 1: tea', 'order 2: cake']"
    ),
    "20_cluster": "16 jobs on 1 node(s) (local: 16), checksum 888001",
    "21_websocket": (
        "received 'echo: hello'; ping answered; subscribed ['echo: tea', 'echo: cake']; "
        "closed 1000; 169.254.169.254 refused"
    ),
}


def check_output(stem: str, output: str) -> None:
    lines = output.strip().splitlines()
    assert lines, f"{stem} printed nothing"
    if stem in EXPECTED:
        assert lines == [EXPECTED[stem]]


def test_examples_the_five_core_examples_exist() -> None:
    assert set(EXPECTED) <= {path.stem for path in EXAMPLES}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_examples_run_as_a_script(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with structlog.testing.capture_logs():  # keep log lines out of the printed result
        runpy.run_path(str(path), run_name="__main__")
    check_output(path.stem, capsys.readouterr().out)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_examples_run_with_the_cli(path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "actorkit.cli", "run", f"{path}:main"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    check_output(path.stem, done.stdout)
