from celery import shared_task

from ombudsman.dashboard.digest import send_morning_digests


@shared_task(name="ombudsman.dashboard.tasks.send_morning_digests_task", acks_late=True)
def send_morning_digests_task() -> int:
    return send_morning_digests()
