from platforms.models.answer import AnswerOutcome, DisclosureAnswer, IdentityAccess
from platforms.models.order import (
    ACTIVE_ORDER_STATES,
    DataItem,
    DisclosureOrder,
    DisclosureOrderGroupObjectPermission,
    DisclosureOrderUserObjectPermission,
    OrderKind,
    OrderState,
)
from platforms.models.organisation import OrderDeadline, Organisation, Service

__all__ = [
    "ACTIVE_ORDER_STATES",
    "AnswerOutcome",
    "DataItem",
    "DisclosureAnswer",
    "DisclosureOrder",
    "DisclosureOrderGroupObjectPermission",
    "DisclosureOrderUserObjectPermission",
    "IdentityAccess",
    "OrderDeadline",
    "OrderKind",
    "OrderState",
    "Organisation",
    "Service",
]
