from __future__ import annotations

from typing import Any

from platforms.models import Service


def formset_management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def complaint_post(service: Service, **overrides: Any) -> dict[str, Any]:
    """The POST body of a complete public complaint form; override any field."""
    data: dict[str, Any] = {
        "filer_role": "victim",
        "victim_name": "",
        "first_name": "Emma",
        "last_name": "Claes",
        "email": "emma.claes@example.org",
        "phone": "+32 470 12 34 56",
        "street": "Wetstraat 16",
        "postal_code": "1000",
        "city": "Brussel",
        "country": "Belgium",
        "language": "nl",
        "service": str(service.pk),
        "offence_categories": ["threats", "stalking"],
        "description": "An unknown account sends me threats every evening and knows where I live.",
        "police_report_number": "BR.12.L5.012345/2026",
        "identity_recipient": "complainant",
        "declared_truthful": "on",
        "consented_to_processing": "on",
        "website": "",
        **formset_management("identifiers", 3),
        "identifiers-0-kind": "account_name",
        "identifiers-0-value": "@shadow_sender",
        "identifiers-1-kind": "phone",
        "identifiers-1-value": "0032 470 99 88 77",
        "identifiers-2-kind": "",
        "identifiers-2-value": "",
        **formset_management("messages", 3),
        "messages-0-received_at": "2026-11-20T21:35",
        "messages-1-received_at": "2026-11-21T22:10",
        "messages-2-received_at": "",
    }
    data.update(overrides)
    return data
