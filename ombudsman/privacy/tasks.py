from datetime import date

from celery import shared_task

from ombudsman.privacy.purge import purge_expired_data


@shared_task(name="ombudsman.privacy.tasks.purge_expired_data_task", acks_late=True)
def purge_expired_data_task(today: str | None = None) -> dict[str, int]:
    """Beat calls it every night without arguments; `today` (YYYY-MM-DD) purges as of another day."""
    return purge_expired_data(date.fromisoformat(today) if today else None).results
