"""Store module tests (a package, so its modules can share helpers by relative import)."""
