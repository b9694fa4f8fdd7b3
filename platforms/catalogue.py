"""The services a complaint can name: active services of active organisations, read at every
complaint and changed a few times a year, so kept in the shared cache (the app clears it)."""

from __future__ import annotations

from ombudsman.core.cache import cached_reference_data
from platforms.models import Service

COMPLAINT_SERVICES_CACHE_KEY = "platforms:complaint-services"


def complaint_services() -> dict[int, Service]:
    """Active services by id, with their organisation, in the order the form lists them."""

    def read() -> dict[int, Service]:
        services = Service.objects.filter(active=True, organisation__active=True).select_related("organisation")
        return {service.pk: service for service in services}

    return cached_reference_data(COMPLAINT_SERVICES_CACHE_KEY, read)
