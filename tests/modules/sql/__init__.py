"""Tests of the sql module (a package, so mypy resolves the shared helpers)."""
