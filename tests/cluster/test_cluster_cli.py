"""``actorkit run --nodes N``: N nodes as OS processes, joined in one cluster, main on n0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ._cluster import redis_url

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "20_cluster.py"


def run(*options: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "actorkit", "run", f"{EXAMPLE}:main", *options]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def test_nodes_runs_main_on_n0_with_jobs_on_every_node() -> None:
    done = run("--nodes", "3", "--redis", redis_url())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines() == [
        "16 jobs on 3 node(s) (n0: 6, n1: 5, n2: 5), checksum 888001"
    ]


def test_nodes_must_be_a_positive_count() -> None:
    done = run("--nodes", "0")
    assert done.returncode == 2
    assert "--nodes: must be 1 or more, got 0" in done.stderr


def test_nodes_without_the_cluster_extra_names_it() -> None:
    hide_msgspec = "import sys; sys.modules['msgspec'] = None; from actorkit.cli import main; "
    code = hide_msgspec + f"sys.exit(main(['run', {str(EXAMPLE)!r} + ':main', '--nodes', '2']))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert "pip install 'actorkit[cluster]'" in done.stderr
