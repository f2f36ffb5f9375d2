"""Typed events: every fact PactWatch knows, as small immutable classes.

Each class is registered under its name (the ``type`` stored with every row) together with its
schema version. Upcasters turn an old stored payload into the current shape, one version step at
a time, so old rows are never rewritten: the log stays append-only while the classes evolve.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, TypeVar

Payload = dict[str, Any]
E = TypeVar("E", bound="Event")

_REGISTRY: dict[str, type["Event"]] = {}
_UPCASTERS: dict[tuple[str, int], Callable[[Payload], Payload]] = {}


class UnknownEventType(LookupError):
    """A stored type name that no class is registered for."""


@dataclass(frozen=True)
class Event:
    """Base of all events. Subclasses are frozen dataclasses whose fields are JSON-friendly."""

    SCHEMA_VERSION: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _REGISTRY[cls.__name__] = cls

    @property
    def type(self) -> str:
        return type(self).__name__

    def to_data(self) -> Payload:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_data(cls: type[E], data: Payload) -> E:
        """Build from a stored payload. Replay is hot, so the dataclass __init__ is bypassed: the
        payload was written by ``to_data`` and the classes have no __post_init__ to skip."""
        names, tuple_fields, defaults, required = _spec(cls)
        if not data.keys() <= names:  # tolerate keys a newer writer added
            data = {k: v for k, v in data.items() if k in names}
        if not required <= data.keys():
            return cls(**data)  # raises the usual TypeError naming the missing field
        obj = object.__new__(cls)
        attrs = obj.__dict__
        attrs.update(defaults)
        attrs.update(data)
        for name in tuple_fields:
            value = attrs.get(name)
            if isinstance(value, list):
                attrs[name] = tuple(value)
        return obj


_SPECS: dict[type, tuple[frozenset[str], tuple[str, ...], dict[str, Any], frozenset[str]]] = {}


def _spec(cls: type) -> tuple[frozenset[str], tuple[str, ...], dict[str, Any], frozenset[str]]:
    """Field names, tuple-typed fields, defaults and required fields of a class, computed once."""
    spec = _SPECS.get(cls)
    if spec is None:
        fields = dataclasses.fields(cls)
        defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
        defaults.update({f.name: f.default_factory() for f in fields  # type: ignore[misc]
                         if f.default_factory is not dataclasses.MISSING})
        spec = (
            frozenset(f.name for f in fields),
            tuple(f.name for f in fields if str(f.type).startswith("tuple")),
            defaults,
            frozenset(f.name for f in fields if f.name not in defaults),
        )
        _SPECS[cls] = spec
    return spec


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def event_class(type_name: str) -> type[Event]:
    try:
        return _REGISTRY[type_name]
    except KeyError:
        raise UnknownEventType(type_name) from None


def registered_types() -> list[str]:
    return sorted(_REGISTRY)


def upcaster(type_name: str, from_version: int) -> Callable[[Callable[[Payload], Payload]], Callable[[Payload], Payload]]:
    """Register a function that lifts a payload of ``type_name`` from ``from_version`` to the next."""

    def register(fn: Callable[[Payload], Payload]) -> Callable[[Payload], Payload]:
        _UPCASTERS[(type_name, from_version)] = fn
        return fn

    return register


def upcast(type_name: str, schema_version: int, data: Payload) -> Payload:
    return _upcast(event_class(type_name), type_name, schema_version, data)


def _upcast(cls: type[Event], type_name: str, schema_version: int, data: Payload) -> Payload:
    current = cls.SCHEMA_VERSION
    while schema_version < current:
        step = _UPCASTERS.get((type_name, schema_version))
        if step is None:
            raise UnknownEventType(f"{type_name} v{schema_version}: no upcaster to v{schema_version + 1}")
        data = step(dict(data))
        schema_version += 1
    return data


def decode(type_name: str, schema_version: int, data: Payload) -> Event:
    """A stored payload as an instance of its current class."""
    cls = _REGISTRY.get(type_name) or event_class(type_name)
    if schema_version != cls.SCHEMA_VERSION:
        data = _upcast(cls, type_name, schema_version, data)
    return cls.from_data(data)


# --- feed items and stories -------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSeen(Event):
    """A news item entered the tracker for the first time (its first feed, first poll)."""

    item_id: str
    feed: str
    url: str
    title: str
    summary: str = ""
    lang: str = "en"
    published: str = ""  # ISO 8601 UTC
    outlet: str = ""
    guid: str | None = None
    story_id: str = ""  # the first item of the same story across outlets (near-duplicate grouping)


# --- partnership detection --------------------------------------------------------------------


@dataclass(frozen=True)
class PartnershipEventDetected(Event):
    """The detector found that two organisations did something together, in one item.

    v2 added ``story_id`` and ``detector_version``; v1 rows are upcast below.
    """

    SCHEMA_VERSION: ClassVar[int] = 2

    item_id: str
    parties: tuple[str, str]
    kind: str
    confidence: float
    evidence: str
    published: str
    story_id: str = ""
    detector_version: str = ""


@upcaster("PartnershipEventDetected", 1)
def _detected_v1_to_v2(data: Payload) -> Payload:
    # v1 stored the two parties as party_a / party_b and knew nothing of stories.
    if "parties" not in data:
        data["parties"] = sorted([data.pop("party_a"), data.pop("party_b")])
    data.setdefault("story_id", data.get("item_id", ""))
    data.setdefault("detector_version", "v1")
    return data


@dataclass(frozen=True)
class PartnershipEventRetracted(Event):
    """A newer detector no longer makes a detection an older one made for an item."""

    item_id: str
    parties: tuple[str, str]
    kind: str
    detector_version: str
    reason: str = "redetect"


# --- feeds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedAdded(Event):
    """A feed was added at run time (config.toml feeds need no event)."""

    name: str
    url: str
    lang: str | None = None
    interval: int = 900


@dataclass(frozen=True)
class FeedRemoved(Event):
    name: str


@dataclass(frozen=True)
class FeedFailed(Event):
    """A healthy feed started failing. Recorded once per change, not once per poll."""

    name: str
    reason: str
    failed_at: str


@dataclass(frozen=True)
class FeedRecovered(Event):
    name: str
    recovered_at: str


@dataclass(frozen=True)
class FeedMarkedUnhealthy(Event):
    """A feed has been failing for longer than the configured grace time."""

    name: str
    failing_since: str
    reason: str


# --- subscribers and digests ------------------------------------------------------------------


@dataclass(frozen=True)
class Subscribed(Event):
    """A chat subscribed to all partnership news (``orgs`` empty) or to named organisations."""

    chat_id: int
    orgs: tuple[str, ...] = ()
    chat_type: str = "private"
    thread_id: int | None = None
    language: str | None = None
    by_user: int | None = None


@dataclass(frozen=True)
class Unsubscribed(Event):
    """A chat left all news (``orgs`` empty) or some organisations; ``reason`` says why."""

    chat_id: int
    orgs: tuple[str, ...] = ()
    reason: str = "user"
    by_user: int | None = None


@dataclass(frozen=True)
class SettingsChanged(Event):
    chat_id: int
    digest_time: str | None = None  # "HH:MM"
    timezone: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class DigestSent(Event):
    """A chat's digest was delivered; ``up_to_position`` is its new cursor in the log."""

    chat_id: int
    up_to_position: int
    events: int
    sent_at: str
    local_date: str = ""


@dataclass(frozen=True)
class DigestFailed(Event):
    """A digest could not be delivered (400, or retries exhausted); its cursor does not move."""

    chat_id: int
    reason: str
    failed_at: str
