"""Development sessions; all run in the current environment (no venvs).

``nox -s check`` is what CI runs: lint, typecheck, tests and docs, stopping at the
first failure. Tools are run as ``python -m <tool>`` with nox's own interpreter so
that an unactivated ``.venv/bin/nox`` still finds them.
"""

import sys

import nox

nox.options.default_venv_backend = "none"
nox.options.sessions = ["check"]

PYTHON = sys.executable


def _lint(session: nox.Session) -> None:
    session.run(PYTHON, "-m", "ruff", "check", ".")
    session.run(PYTHON, "-m", "ruff", "format", "--check", ".")


def _typecheck(session: nox.Session) -> None:
    session.run(PYTHON, "-m", "mypy")
    session.run(PYTHON, "-m", "pyright", "--pythonpath", PYTHON)


def _tests(session: nox.Session) -> None:
    session.run(PYTHON, "-m", "pytest", *session.posargs)


def _docs(session: nox.Session) -> None:
    session.run(
        PYTHON, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html"
    )


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """Run ruff's linter and formatter check."""
    _lint(session)


@nox.session(venv_backend="none")
def typecheck(session: nox.Session) -> None:
    """Run mypy, then pyright, both configured in pyproject.toml."""
    _typecheck(session)


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """Run pytest; arguments after ``--`` are passed through."""
    _tests(session)


@nox.session(venv_backend="none")
def docs(session: nox.Session) -> None:
    """Build the HTML docs, treating warnings as errors."""
    _docs(session)


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Run the benchmarks; arguments after ``--`` are passed through."""
    session.run(PYTHON, "-m", "bench", *session.posargs)


@nox.session(venv_backend="none")
def soak(session: nox.Session) -> None:
    """The long runs (1M spawn+exit, 5M ring messages, 100k crashes) with memory samples;
    the figures in docs/guides/reliability.md. Pass ``-- --soak-scale 0.1`` for a quick run."""
    session.run(PYTHON, "-m", "bench", "--soak", *session.posargs)


@nox.session(venv_backend="none")
def faults(session: nox.Session) -> None:
    """Every figure in docs/guides/reliability.md: the fault and bad-input suite at full size
    (10,000 interleavings, 1,000 builds of every command), the bad-input table, then the
    long runs (``python -m bench --soak``)."""
    session.env["ACTORKIT_PROPERTY_EXAMPLES"] = "10000"
    session.env["ACTORKIT_BAD_INPUT_EXAMPLES"] = "1000"
    session.run(PYTHON, "-m", "pytest", "tests/faults", "-q", *session.posargs)
    session.run(PYTHON, "-m", "tests.faults.test_bad_input")
    session.run(PYTHON, "-m", "bench", "--soak")


@nox.session(venv_backend="none")
def check(session: nox.Session) -> None:
    """Run lint, typecheck, tests and docs in that order (what CI runs)."""
    _lint(session)
    _typecheck(session)
    _tests(session)
    _docs(session)
