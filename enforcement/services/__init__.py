"""Use cases of referrals and sanction procedures."""

from enforcement.services import sweep  # noqa: F401  (registers the procedure deadlines in the sweep)
from enforcement.services.procedure import (
    ProcedureChangedMeanwhile,
    ProcedureStepRefused,
    assign_referral,
    continue_despite_compliance,
    propose_fine,
    record_draft_answer,
    run_procedure_step,
)
from enforcement.services.referrals import open_referral_by_hand, open_referrals

__all__ = [
    "ProcedureChangedMeanwhile",
    "ProcedureStepRefused",
    "assign_referral",
    "continue_despite_compliance",
    "open_referral_by_hand",
    "open_referrals",
    "propose_fine",
    "record_draft_answer",
    "run_procedure_step",
]
