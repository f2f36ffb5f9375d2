"""pytest fixtures for the local feed server.

Register from tests/conftest.py with either
    pytest_plugins = ["tests.conftest_feeds"]
or
    from tests.conftest_feeds import feed_server, feed_server_session  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.feedserver import FeedServer


@pytest.fixture(scope="session")
def feed_server_session() -> Iterator[FeedServer]:
    """One server for the whole run: starting threads per test is waste."""
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def feed_server(feed_server_session: FeedServer) -> FeedServer:
    """The shared server with its request log emptied for this test."""
    feed_server_session.reset()
    return feed_server_session
