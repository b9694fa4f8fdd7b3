from celery import shared_task

from ombudsman.deadlines.sweep import sweep_deadlines


@shared_task(name="ombudsman.deadlines.tasks.sweep_deadlines_task", acks_late=True)
def sweep_deadlines_task() -> dict[str, int]:
    return sweep_deadlines()
