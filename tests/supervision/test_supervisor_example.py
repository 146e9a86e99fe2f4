"""The supervised application example runs to its end by itself."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import actorkit

EXAMPLE = Path(__file__).parents[2] / "examples" / "06_supervised_app.py"


def test_supervised_app_example_restarts_the_crashed_service() -> None:
    spec = importlib.util.spec_from_file_location("supervised_app_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = actorkit.run(module.main, modules=module.MODULES)
    match = re.fullmatch(
        r"Hello, again! total=2; greeter (<\S+>) -> (<\S+>); counter running, greeter running",
        str(result),
    )
    assert match is not None, result
    assert match.group(1) != match.group(2)
