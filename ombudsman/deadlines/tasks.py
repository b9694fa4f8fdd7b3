from datetime import date

from celery import shared_task

from ombudsman.deadlines.sweep import sweep_deadlines


@shared_task(name="ombudsman.deadlines.tasks.sweep_deadlines_task", acks_late=True)
def sweep_deadlines_task(today: str | None = None) -> dict[str, int]:
    """Beat calls it without arguments; `today` (YYYY-MM-DD) sweeps as of another day."""
    return sweep_deadlines(date.fromisoformat(today) if today else None)
