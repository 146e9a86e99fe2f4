"""Tests of actorkit.redis against a real Redis server (a package: its modules share
helpers by relative import)."""
