"""The service layer's base error, importable without the store behind the services."""
from __future__ import annotations


class ServiceError(Exception):
    """A request that can't be answered as asked; the message is safe to show."""
