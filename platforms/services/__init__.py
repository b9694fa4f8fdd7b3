"""Use cases of disclosure orders: the officer's, the liaison's, identity reading, the sweep."""

from platforms.services import sweep  # noqa: F401  (registers the order deadlines in the sweep)
from platforms.services.common import OrderChangedMeanwhile, OrderStepRefused
from platforms.services.identity import may_read_identity, read_identity
from platforms.services.liaison import acknowledge_order, issue_api_token, request_extension, submit_answer
from platforms.services.orders import (
    accept_answer,
    conclude_not_identified,
    decide_extension,
    draft_order,
    issue_order,
    may_draft_order,
    reject_answer,
    withdraw_order,
)

__all__ = [
    "OrderChangedMeanwhile",
    "OrderStepRefused",
    "accept_answer",
    "acknowledge_order",
    "conclude_not_identified",
    "decide_extension",
    "draft_order",
    "issue_api_token",
    "issue_order",
    "may_draft_order",
    "may_read_identity",
    "read_identity",
    "reject_answer",
    "request_extension",
    "submit_answer",
    "withdraw_order",
]
