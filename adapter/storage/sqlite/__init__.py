"""The embedded backend: one SQLite file, WAL mode, schema by sqlite-utils' migrations."""

from .schema import migrations, open_database
from .storage import SqliteStorage

__all__ = ["SqliteStorage", "migrations", "open_database"]
