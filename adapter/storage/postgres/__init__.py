"""The server backend: PostgreSQL through psycopg 3, for several instances at once.

    BATON_DATABASE_URL=postgresql://baton@db.example.com/baton   (or App(db=that URL))

Schema by yoyo-migrations; exactly-once and order across instances by the inbox's unique
key and transaction-scoped leases (adapter/storage/postgres/inbox.py).
"""

from .storage import PostgresStorage

__all__ = ["PostgresStorage"]
