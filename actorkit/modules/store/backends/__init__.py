"""Store backends: the Protocol (``base``), memory first, then SQLite and Redis.

The Redis backend imports coredis, so it is imported only when a Redis store is declared.
"""
