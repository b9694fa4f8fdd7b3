from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ombudsman.accounts.roles import (
    ADMINISTRATOR,
    BIPT_HEAD,
    BIPT_OFFICER,
    OMBUDSMAN_STAFF_ROLES,
    PLATFORM_LIAISON,
    REVIEWER,
    has_role,
)


def office(request: HttpRequest) -> dict[str, Any]:
    return {
        "office": settings.OMBUDSMAN_OFFICE,
        "is_ombudsman_staff": has_role(request.user, *OMBUDSMAN_STAFF_ROLES),
        "is_reviewer": has_role(request.user, REVIEWER),
        "is_liaison": has_role(request.user, PLATFORM_LIAISON),
        "is_bipt": has_role(request.user, BIPT_OFFICER, BIPT_HEAD),
        "answers_access_requests": has_role(request.user, REVIEWER, ADMINISTRATOR),
    }
