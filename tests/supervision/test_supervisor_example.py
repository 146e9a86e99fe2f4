"""The supervised application example runs to its end by itself.

It runs here on the autojump clock, so its timeouts and its backoff take no real time and
the result does not depend on how busy the machine is (``tests/test_examples.py`` also runs
it for real, as a script).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import actorkit

EXAMPLE = Path(__file__).parents[2] / "examples" / "06_supervised_app.py"


async def test_supervised_app_example_restarts_the_crashed_service(node: actorkit.Node) -> None:
    spec = importlib.util.spec_from_file_location("supervised_app_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.MODULES == []  # the test node's modules are all the example needs
    result = await node.exec(module.main)
    match = re.fullmatch(
        r"Hello, again! total=2; greeter (<\S+>) -> (<\S+>); counter running, greeter running",
        str(result),
    )
    assert match is not None, result
    assert match.group(1) != match.group(2)
