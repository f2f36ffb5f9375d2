"""The store's errors, in a module of their own so that callers can catch them without importing
SQLAlchemy or Alembic (the command line's database-free commands start faster)."""
from __future__ import annotations


class StoreError(Exception):
    """Base of the store's errors."""


class StoreUnavailable(StoreError):
    """The database URL is malformed or the database cannot be reached."""
