"""Store backends: the Protocol (``base``), memory first, then SQLite and Redis.

The Redis backend imports :mod:`actorkit.redis` (and so hiredis), so it is imported only
when a Redis store is declared.
"""
