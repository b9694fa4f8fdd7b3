"""What the benchmarks share: the benchmark database with its load data, a logged-in client,
and the figures (median, 95th percentile, query count).

The database is `ombudsman_bench` (BENCH_DATABASE_URL). Without BENCH_REUSE=1 a benchmark drops
it, re-creates it, migrates and fills it with `manage.py generate_load_data`; with BENCH_REUSE=1 it
migrates (new indexes) and measures on what is there. Redis: BENCH_BROKER_URL (default
redis://127.0.0.1:6379/12) and BENCH_CACHE_URL (default redis://127.0.0.1:6379/11)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ombudsman_bench")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["CELERY_BROKER_URL"] = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
os.environ["CACHE_URL"] = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/11")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")


def production_environment() -> dict[str, str]:
    """The server's settings as in production (DJANGO_DEBUG=0, a fresh secret key, static files
    collected), but on plain HTTP on loopback, against the benchmark database. The identity data
    stays readable: its key is the one the load data was written with, which the settings derive
    from the development secret key."""
    import base64
    import hashlib
    import secrets

    identity_key = hashlib.sha256(b"identity:django-insecure-development-key-not-for-production").digest()
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "IDENTITY_KEYS": base64.urlsafe_b64encode(identity_key).decode(),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "OMBUDSMAN_VAR_DIR": tempfile.mkdtemp(prefix="ombudsman-bench-"),
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True)
    return environment


def reuse() -> bool:
    return os.environ.get("BENCH_REUSE") == "1"


def recreate_database(database_url: str = DATABASE_URL) -> None:
    import psycopg

    url = urlparse(database_url)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(cases: int) -> None:
    """Django set up on the benchmark database, migrated, holding the load data."""
    if not reuse():
        recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not reuse():
        started = time.perf_counter()
        call_command("generate_load_data", cases=cases)
        print(f"load data for {cases:,} cases generated in {time.perf_counter() - started:.0f} s")


def figures(times: list[float]) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[round(0.95 * (len(ordered) - 1))] * 1000


def measure(call: Callable[[], Any], rounds: int, warm_up: int = 2) -> tuple[list[float], Any]:
    """Run `call` warm_up + rounds times; the times of the measured rounds and the last result."""
    result = None
    for _ in range(warm_up):
        result = call()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return times, result


def with_context(call: Callable[[], Any]) -> Any:
    """The response of `call` with its template context (the page shown, its count). Only for
    reading: keeping the context copies it at every template, which measured calls must not pay."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    try:
        return call()
    finally:
        teardown_test_environment()


def count_queries(call: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def staff_client(user: Any) -> Any:
    """A test client logged in as `user` with the password and the second factor."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def machine() -> str:
    import platform

    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    load = os.getloadavg()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GiB, PostgreSQL {server.split()[0]}, "
        f"Python {platform.python_version()}, "
        f"Django {django.get_version()}; load average {load:.1f} at start"
    )


def busiest_officer() -> Any:
    """The case officer at work now who holds the most cases."""
    from django.db.models import Count

    from ombudsman.accounts.models import User

    return (
        User.objects.filter(username__startswith="load-officer-", is_active=True)
        .annotate(cases=Count("assigned_cases"))
        .order_by("-cases")
        .first()
    )
