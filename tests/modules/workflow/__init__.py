"""Tests of the workflow module (a package, so mypy resolves the shared helpers)."""
