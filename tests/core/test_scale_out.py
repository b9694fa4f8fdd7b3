"""Running on several machines: one scheduler, two queues, object storage, several workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ombudsman.celery import app as celery_app
from tests.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)  # the scheduler manages its own database connections
def test_only_one_beat_sends_tasks_and_another_takes_over_when_it_dies(monkeypatch):
    from django_celery_beat.schedulers import DatabaseScheduler

    from ombudsman.core.beat import LOCK_KEY, LeaderDatabaseScheduler

    ticks = []
    monkeypatch.setattr(DatabaseScheduler, "tick", lambda self, *a, **k: ticks.append(self.identity) or 1.0)
    first, second = LeaderDatabaseScheduler(app=celery_app), LeaderDatabaseScheduler(app=celery_app)
    for _ in range(3):
        first.tick()
        second.tick()
    assert ticks == [first.identity] * 3
    cache.delete(LOCK_KEY)  # the first beat died and its lock expired
    second.tick()
    first.tick()
    assert ticks[3:] == [second.identity]


def test_letters_and_deadlines_go_to_separate_queues():
    routes = settings.CELERY_TASK_ROUTES
    assert routes["ombudsman.letters.tasks.render_letter_task"]["queue"] == "letters"
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "fast"
    sweep = celery_app.amqp.router.route({}, "ombudsman.deadlines.tasks.sweep_deadlines_task")
    letter = celery_app.amqp.router.route({}, "ombudsman.letters.tasks.render_letter_task")
    mail = celery_app.amqp.router.route({}, "ombudsman.letters.tasks.send_letter_task")
    assert (sweep["queue"].name, letter["queue"].name, mail["queue"].name) == ("fast", "letters", "fast")
    procfile = (ROOT / "Procfile").read_text()
    assert "--queues fast" in procfile and "--queues letters" in procfile and "beat" in procfile


@pytest.mark.django_db
def test_evidence_and_letters_live_in_an_s3_bucket_and_are_served_through_the_app(settings, client, monkeypatch):
    import boto3
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        boto3.client("s3", region_name="eu-west-1").create_bucket(
            Bucket="ombudsman-files", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "ombudsman-files",
                    "region_name": "eu-west-1",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "querystring_expire": 60,
                    "file_overwrite": False,
                },
            },
        }
        from cases.models import Case
        from ombudsman.letters.models import LetterRequest
        from ombudsman.letters.services import render_letter
        from tests.cases.helpers import complaint_post
        from tests.factories import ServiceFactory, png_bytes, reviewer, upload

        client.post("/complaint/", {**complaint_post(ServiceFactory()), "evidence": [upload("a.png", png_bytes())]})
        case = Case.objects.get()
        evidence = case.evidence.get()
        letter = render_letter(LetterRequest.objects.get().pk)
        keys = {
            obj["Key"]
            for obj in boto3.client("s3", region_name="eu-west-1").list_objects_v2(Bucket="ombudsman-files")["Contents"]
        }
        assert evidence.file.name in keys and letter.pdf.name in keys
        acl = boto3.client("s3", region_name="eu-west-1").get_object_acl(Bucket="ombudsman-files", Key=letter.pdf.name)
        assert all(grant["Grantee"].get("URI") is None for grant in acl["Grants"])  # not public
        client.force_login(reviewer())
        download = client.get(f"/office/cases/{case.reference}/evidence/{evidence.token}/")
        assert b"".join(download.streaming_content) == png_bytes()
        pdf = client.get(f"/office/cases/{case.reference}/letters/{letter.pk}.pdf")
        assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_and_a_beat_apply_each_deadline_once(private_files, tmp_path):
    from ombudsman.audit.models import AuditEvent
    from ombudsman.audit.services import find_broken_links
    from ombudsman.letters.models import Letter
    from platforms.models import DisclosureOrder
    from tests.factories import make_order

    orders = []
    first, liaison = make_order("issued")
    orders.append(first)
    for _ in range(11):
        orders.append(make_order("issued", case=first.case, organisation=first.organisation, liaison=liaison)[0])
    DisclosureOrder.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    celery_app.control.purge()

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PRIVATE_STORAGE_ROOT": str(private_files),
        "OMBUDSMAN_VAR_DIR": str(tmp_path),
        "SWEEP_INTERVAL_SECONDS": "2",
        "DB_CONN_MAX_AGE": "0",
    }
    celery = str(Path(sys.executable).parent / "celery")
    commands = [
        [celery, "-A", "ombudsman", "worker", "--queues", "fast,letters", "--concurrency", "2", "--hostname", "one@%h"],
        [celery, "-A", "ombudsman", "worker", "--queues", "fast,letters", "--concurrency", "2", "--hostname", "two@%h"],
        [celery, "-A", "ombudsman", "beat"],
    ]
    logs = [(tmp_path / f"process{i}.log").open("w") for i in range(len(commands))]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        for command, log in zip(commands, logs, strict=True)
    ]
    try:

        def done():
            overdue = DisclosureOrder.objects.filter(state="overdue").count() == len(orders)
            notices = Letter.objects.filter(kind="formal_notice").count()
            return overdue and notices == len(orders)

        try:
            wait_for(done, timeout=150)
        except AssertionError:
            output = "\n".join((tmp_path / f"process{i}.log").read_text()[-2000:] for i in range(len(commands)))
            raise AssertionError(f"the workers did not finish:\n{output}") from None
        # Let a few more sweeps run: they must change nothing.
        import time

        time.sleep(6)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for log in logs:
            log.close()

    for order in orders:
        assert AuditEvent.objects.for_object(order).filter(action="mark_overdue").count() == 1
        assert Letter.objects.filter(kind="formal_notice", object_id=str(order.pk)).count() == 1
    assert list(find_broken_links()) == []
