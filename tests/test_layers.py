"""The layers hold: modules use only the door and the public API; the user API is built on the
kernel alone; the kernel imports nothing above it.

Every ``.py`` under ``actorkit/`` is parsed (not imported) and each of its imports, relative
ones resolved and ``TYPE_CHECKING`` ones included, is checked against the rules below.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "actorkit"

# (files under this package, may not import these packages)
ABOVE_THE_KERNEL = (
    "actorkit._api",
    "actorkit.modules",
    "actorkit.testing",
    "actorkit.cli",
    "actorkit.lowlevel",
    "actorkit.supervision",
    "actorkit.observer",
    "actorkit.servers",
    "actorkit.gateway",
    "actorkit.redis",
)
PRIVATE = ("actorkit._core", "actorkit._api")
ON_THE_DOOR = (*PRIVATE, "actorkit.modules", "actorkit.testing")
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("actorkit.modules", PRIVATE),
    ("actorkit.supervision", ON_THE_DOOR),
    ("actorkit.observer", ON_THE_DOOR),
    ("actorkit.servers", ON_THE_DOOR),
    ("actorkit.gateway", ON_THE_DOOR),
    ("actorkit.redis", ON_THE_DOOR),
    ("actorkit._core", ABOVE_THE_KERNEL),
    # The user API (the Process handle, the Node, request/reply) is built on the kernel alone.
    ("actorkit._api", tuple(p for p in ABOVE_THE_KERNEL if p != "actorkit._api")),
    # The door is built on the kernel and the user API: nothing it re-exports may depend on a
    # layer above.
    (
        "actorkit.lowlevel",
        tuple(p for p in ABOVE_THE_KERNEL if p not in ("actorkit._api", "actorkit.lowlevel")),
    ),
    # The leaves every layer builds on: the error tree and the field checks; the statistics,
    # which read the node through views of their own.
    ("actorkit.errors", (*ABOVE_THE_KERNEL, "actorkit.checks")),
    ("actorkit.checks", (*ABOVE_THE_KERNEL, "actorkit._core")),
    ("actorkit._stats", (*ABOVE_THE_KERNEL, "actorkit._core")),
)


def module_name(path: Path) -> str:
    """``actorkit/modules/pg/scope.py`` -> ``actorkit.modules.pg.scope``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, name: str, is_package: bool) -> Iterator[tuple[int, str, str]]:
    """``(line, module, submodule)`` for each name an import in ``tree`` brings in: with
    ``from m import x``, ``m`` and ``m.x`` (``x`` may be a submodule); with ``import m``,
    ``m`` twice."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(package, node.level, node.module)
            for alias in node.names:
                yield node.lineno, base, f"{base}.{alias.name}"


def _resolve(package: str, level: int, module: str | None) -> str:
    if level == 0:
        return module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - (level - 1)])
    return f"{base}.{module}" if module else base


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations(path: Path, source: str) -> list[str]:
    """``file:line imports X`` for each import of ``path`` that breaks a rule."""
    name = module_name(path)
    tree = ast.parse(source, filename=str(path))
    found: list[str] = []
    for layer, forbidden in RULES:
        if not _within(name, layer):
            continue
        for line, module, sub in imported(tree, name, path.name == "__init__.py"):
            for target in (module, sub):
                if any(_within(target, bad) for bad in forbidden):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
                    break
    return found


def all_violations() -> list[str]:
    found: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += violations(path, path.read_text(encoding="utf-8"))
    return found


def test_layers_hold() -> None:
    assert all_violations() == []


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("modules/pg/scope.py", "from actorkit._core._node import Node\n"),
        ("modules/pg/scope.py", "import actorkit._core._pid\n"),
        ("modules/pg/scope.py", "from ..._core import _node\n"),
        ("modules/store/backends/redis.py", "from ...._core._events import Event\n"),
        ("modules/pg/__init__.py", "from ..._core._boot import Boot\n"),
        ("modules/pg/scope.py", "from actorkit import _core\n"),
        ("modules/clock/wheel.py", "if TYPE_CHECKING:\n    from actorkit._core import _node\n"),
        ("modules/pg/scope.py", "from actorkit._api._node import Node\n"),
        ("supervision/_running.py", "from .._api._process import state_of\n"),
        ("_core/_node.py", "from .._api._process import Process\n"),
        (
            "_core/_handler.py",
            "if TYPE_CHECKING:\n    from .._api._context import HandlerContext\n",
        ),
        ("_api/_node.py", "from ..lowlevel import NodeVar\n"),
        ("_api/_process.py", "from actorkit.modules import clock\n"),
        ("_core/_node.py", "from actorkit.modules import pg\n"),
        ("_core/_node.py", "from ..modules.pg import scope\n"),
        ("_core/_node.py", "from .. import lowlevel\n"),
        ("_core/_node.py", "from ..lowlevel._hooks import add_exit_hook\n"),
        ("lowlevel/_behaviour.py", "from ..supervision import Supervisor\n"),
        ("lowlevel/__init__.py", "from ..modules.event import publish\n"),
        ("_core/_node.py", "import actorkit.testing\n"),
        ("_core/_node.py", "from actorkit.cli import main\n"),
        ("_core/__init__.py", "from ..observer import top\n"),
        ("_core/_node.py", "from actorkit.supervision import Supervisor\n"),
        ("supervision/_running.py", "from actorkit._core._node import Node\n"),
        ("observer/_endpoint.py", "from .._core._stats import NodeStatistics\n"),
        ("servers/_server.py", "from actorkit._core._events import Request\n"),
        ("servers/_pool.py", "from ..modules import clock\n"),
        ("servers/_client.py", "import actorkit.testing\n"),
        ("_core/_node.py", "from ..servers import Server\n"),
        ("errors.py", "from .supervision import Supervisor\n"),
        ("checks.py", "from ._core._node import Node\n"),
        ("_stats/_sampler.py", "from .._core._command import module_of\n"),
        ("_stats/_view.py", "if TYPE_CHECKING:\n    from actorkit._core._node import Node\n"),
    ],
)
def test_layers_catch_a_wrong_import(path: str, source: str) -> None:
    found = violations(PACKAGE / path, source)
    assert len(found) == 1
    assert found[0].startswith(f"actorkit/{path}:")


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("modules/pg/scope.py", "from actorkit.lowlevel import NodeVar\n"),
        ("modules/pg/scope.py", "from .commands import Join\nfrom actorkit import PID\n"),
        ("modules/pg/scope.py", "from actorkit.errors import CommandError\n"),
        ("_core/_node.py", "from ._pid import PID\nfrom . import _events\n"),
        ("_core/_node.py", "from actorkit.modulesx import y\n"),
        ("_core/_node.py", "from ..errors import NoProcessError\nfrom .. import checks\n"),
        ("_core/_node.py", "from .._stats import NodeStatistics, Sampler\n"),
        ("_api/_node.py", "from .._core._node import Runtime\n"),
        ("lowlevel/_seam.py", "from .._api._context import Seam\n"),
    ],
)
def test_layers_allow_the_door(path: str, source: str) -> None:
    assert violations(PACKAGE / path, source) == []
