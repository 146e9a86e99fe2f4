"""sql backends behind one Protocol: SQLite (embedded, default), PostgreSQL, MySQL/MariaDB.

The server backends are imported only when a database of that kind is declared, so
their drivers are optional extras (``actorkit[postgres]``, ``actorkit[mysql]``).
"""

from .base import Backend, Op, Result, Session

__all__ = ["Backend", "Op", "Result", "Session"]
