from celery import shared_task

from ombudsman.dashboard.digest import send_morning_digests
from ombudsman.dashboard.summaries import build_statistics_summaries


@shared_task(name="ombudsman.dashboard.tasks.send_morning_digests_task", acks_late=True)
def send_morning_digests_task() -> int:
    return send_morning_digests()


@shared_task(name="ombudsman.dashboard.tasks.build_statistics_summaries_task", acks_late=True)
def build_statistics_summaries_task() -> str | None:
    """Beat calls it every night: yesterday's ended cases and finished orders join the summaries."""
    report = build_statistics_summaries()
    return str(report.summarised_to) if report.summarised_to else None
