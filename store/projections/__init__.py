"""Read models built from the event log, one class per read model."""
from store.projections.feeds import FeedsProjection
from store.projections.items import ItemsProjection
from store.projections.partnerships import PartnershipsProjection
from store.projections.runner import Projection, ProjectionRunner
from store.projections.subscriptions import SubscriptionsProjection


def all_projections() -> list[Projection]:
    return [ItemsProjection(), PartnershipsProjection(), SubscriptionsProjection(), FeedsProjection()]


__all__ = [
    "FeedsProjection",
    "ItemsProjection",
    "PartnershipsProjection",
    "Projection",
    "ProjectionRunner",
    "SubscriptionsProjection",
    "all_projections",
]
