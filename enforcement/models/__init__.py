from enforcement.models.procedure import (
    Cooperation,
    FineScale,
    Judgment,
    ProcedureRuleViolation,
    ProcedureState,
    SanctionProcedure,
    SanctionProcedureGroupObjectPermission,
    SanctionProcedureUserObjectPermission,
    Seriousness,
)
from enforcement.models.referral import Referral, ReferralGroupObjectPermission, ReferralUserObjectPermission

__all__ = [
    "Cooperation",
    "FineScale",
    "Judgment",
    "ProcedureRuleViolation",
    "ProcedureState",
    "Referral",
    "ReferralGroupObjectPermission",
    "ReferralUserObjectPermission",
    "SanctionProcedure",
    "SanctionProcedureGroupObjectPermission",
    "SanctionProcedureUserObjectPermission",
    "Seriousness",
]
