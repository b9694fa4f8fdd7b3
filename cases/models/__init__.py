from cases.models.assessment import Answer, Assessment, Criterion, InformationRequest, Proposal
from cases.models.case import (
    OPEN_STATES,
    Case,
    CaseState,
    ClosureReason,
    FourEyesViolation,
    IdentityRecipient,
    ReferenceSequence,
)
from cases.models.intake import (
    Channel,
    Evidence,
    FilerRole,
    IdentifierKind,
    MessageTime,
    OffenceCategory,
    PerpetratorIdentifier,
)

__all__ = [
    "OPEN_STATES",
    "Answer",
    "Assessment",
    "Case",
    "CaseState",
    "Channel",
    "ClosureReason",
    "Criterion",
    "Evidence",
    "FilerRole",
    "FourEyesViolation",
    "IdentifierKind",
    "IdentityRecipient",
    "InformationRequest",
    "MessageTime",
    "OffenceCategory",
    "PerpetratorIdentifier",
    "Proposal",
    "ReferenceSequence",
]
