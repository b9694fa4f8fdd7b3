"""Celery tasks around letters; they only wrap the services."""

from datetime import timedelta

from celery import Task, shared_task
from celery.signals import worker_process_init

from ombudsman.letters import services
from ombudsman.letters.rendering import prepare_worker


@worker_process_init.connect
def prepare_letters_renderer(**_kwargs: object) -> None:
    prepare_worker()


class LetterTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Called once the retries ran out (a retry itself goes to `on_retry`)."""
        services.mark_letter_failed(args[0] if args else kwargs["request_id"])


@shared_task(
    bind=True,
    base=LetterTask,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=8,
)
def render_letter_task(self, request_id: int) -> int:
    letter = services.render_letter(request_id)
    services.mail_letter(letter)
    return letter.pk


@shared_task(acks_late=True)
def render_letters_task(request_ids: list[int]) -> int:
    """Render many letters (queued by one use case, e.g. a sweep batch), each in its own task
    so one failing letter is retried alone."""
    for request_id in request_ids:
        render_letter_task.delay(request_id)
    return len(request_ids)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=10,
)
def send_letter_task(self, letter_id: int) -> bool:
    return services.send_letter(letter_id)


@shared_task
def requeue_pending_letters() -> int:
    """Queue again every letter still unrendered a few minutes after its trigger (unless its retries
    ran out), and every letter still unsent a while after its rendering."""
    pending = list(services.pending_letter_requests(timedelta(minutes=3)).values_list("pk", flat=True)[:1000])
    for request_id in pending:
        render_letter_task.delay(request_id)
    unsent = list(services.unsent_letters(timedelta(minutes=10)).values_list("pk", flat=True)[:1000])
    for letter_id in unsent:
        send_letter_task.delay(letter_id)
    return len(pending) + len(unsent)
