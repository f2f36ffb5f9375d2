"""The one place where PactWatch is assembled from config.toml and the environment.

Entry points (CLI, console, Telegram bot, scheduler) call ``bootstrap`` and get an App; tests
call it with their own clock, database URL or HTTP transport instead of patching anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import Callable

from store.engine import Store, open_store
from store.projections import Projection, ProjectionRunner, all_projections
from store.recorder import SqlEventRecorder
from tracker.config import Config

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class App:
    config: Config
    store: Store
    clock: Clock = utcnow
    projections: list[Projection] = field(default_factory=all_projections)

    @property
    def recorder(self) -> SqlEventRecorder:
        return self.store.recorder

    @cached_property
    def runner(self) -> ProjectionRunner:
        return ProjectionRunner(self.store.recorder)

    @cached_property
    def catalog(self):  # type: ignore[no-untyped-def]
        from tracker.domain.catalog import Catalog

        return Catalog(extra=self.config.entities)

    @cached_property
    def detector(self):  # type: ignore[no-untyped-def]
        from tracker.domain.detection import Detector

        return Detector(self.catalog)

    def project(self) -> dict[str, int]:
        """Bring every read model up to the head of the log."""
        return self.runner.run_all(self.projections)

    def projection(self, name: str) -> Projection:
        for p in self.projections:
            if p.name == name:
                return p
        raise KeyError(name)

    def close(self) -> None:
        self.store.dispose()


def bootstrap(config: Config, *, clock: Clock = utcnow, database_url: str | None = None) -> App:
    store = open_store(database_url or config.database_url, clock=clock)
    return App(config=config, store=store, clock=clock)
