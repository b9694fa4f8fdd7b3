"""Use cases of the cases app: one function per thing a user (or the sweep) does."""

from cases.services.handling import (
    CaseChangedMeanwhile,
    TransitionRefused,
    approve_assessment,
    assign_case,
    close_case,
    propose_decision,
    reassign_case,
    send_back_assessment,
    set_identity_recipient,
    withdraw_case,
)
from cases.services.information import (
    InvalidReplyLink,
    answer_information_request,
    lapse_unanswered_information_requests,
    open_request_from_link,
    record_information_received,
    request_information,
)
from cases.services.intake import (
    ACKNOWLEDGEMENT,
    Complaint,
    IntakeError,
    record_evidence_download,
    submit_complaint,
)

__all__ = [
    "ACKNOWLEDGEMENT",
    "CaseChangedMeanwhile",
    "Complaint",
    "IntakeError",
    "InvalidReplyLink",
    "TransitionRefused",
    "answer_information_request",
    "approve_assessment",
    "assign_case",
    "close_case",
    "lapse_unanswered_information_requests",
    "open_request_from_link",
    "propose_decision",
    "reassign_case",
    "record_evidence_download",
    "record_information_received",
    "request_information",
    "send_back_assessment",
    "set_identity_recipient",
    "submit_complaint",
    "withdraw_case",
]
