import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from ombudsman.celery import app as celery_app
from ombudsman.core.cache import forget_reference_data

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Evidence and letters of each test go to their own directory."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs a quarter of a second per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def authenticator(user):
    """The user's confirmed authenticator app (a django-otp TOTP device), created when missing."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def current_code(device) -> str:
    """The code the authenticator app shows now. A test may log the same user in twice within one
    30-second step, and a code is accepted only once, so the device forgets the last code used."""
    from django_otp.oath import totp

    device.last_t = -1
    device.save(update_fields=["last_t"])
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


@pytest.fixture(autouse=True)
def force_login_includes_the_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a complete login: the password and the second factor
    (tests of the second factor itself log in through the login form)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    password_only = Client.force_login

    def force_login(self, user, backend=None):
        password_only(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    forget_reference_data()
    yield
    cache.clear()
    forget_reference_data()


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in the test's process; tests marked `worker` use a real worker instead."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_eager_propagates = False


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def celery_worker_on_redis(eager_celery):
    celery_app.conf.task_always_eager = False
    assert celery_app.conf.broker_url.startswith("redis://"), "the suite runs its worker on Redis"
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def wait_for(predicate, timeout: float = 30.0):
    """Poll until `predicate` returns something true; its value, or a failure after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("the worker did not finish in time")


def in_parallel(function, times: int = 2) -> list:
    """Run `function` in `times` threads started together (each with its own database
    connection); the list of their results, or the first error raised in any of them."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(times)
    results, errors = [], []

    def run() -> None:
        try:
            barrier.wait()
            results.append(function())
        except Exception as exc:  # pragma: no cover - raised below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
