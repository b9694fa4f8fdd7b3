"""A Redis of the test's own, to stop, freeze and start again, and Celery workers in their own
processes, to kill. The shared Redis of the suite is never touched."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.conf import settings
from django.db import connection

from ombudsman.celery import app as celery_app
from tests.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]


class RedisServer:
    """A redis-server on a free port, without persistence: stopping it loses what it held."""

    def __init__(self, directory: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=2)

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [*command, "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

        def answers() -> bool:
            try:
                return self.client().ping()
            except redis.ConnectionError:
                return False

        wait_for(answers, timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)  # a frozen server cannot stop
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        """The process stays, its port accepts connections, and nothing answers (a hung host)."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def forget_broker_connections() -> None:
    """Celery keeps its connections and producers in pools; drop them so the next message goes
    to the broker now configured."""
    # kombu keeps one pool per broker URL for the whole process: close and forget all of them,
    # or the next test would be handed a closed pool.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(tmp_path, monkeypatch):
    """The Celery app of this process sends to a Redis of this test only (not eager)."""
    server = RedisServer(tmp_path)
    server.start()
    shared_url = celery_app.conf.broker_url
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)
    celery_app.conf.broker_url = server.url
    celery_app.conf.broker_write_url = celery_app.conf.broker_read_url = None
    celery_app.conf.task_always_eager = False
    forget_broker_connections()
    yield server
    server.stop()
    celery_app.conf.broker_url = shared_url
    forget_broker_connections()


def database_url() -> str:
    """The test database, for processes started by the test."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """`celery worker` in a process of its own, as in production (solo pool: one task at a time)."""

    def __init__(self, name: str, queues: str, server: RedisServer, directory: Path) -> None:
        self.log = directory / f"worker-{name}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": server.url,
            "PRIVATE_STORAGE_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
            "EMAIL_URL": f"file://{directory / 'mail'}",
            "OMBUDSMAN_VAR_DIR": str(directory / "var"),
            "DB_CONN_MAX_AGE": "0",
        }
        celery = str(Path(sys.executable).parent / "celery")
        arguments = ["--pool", "solo", "--queues", queues, "--hostname", f"{name}@%h", "--without-mingle"]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [celery, "-A", "ombudsman", "worker", *arguments, "--without-gossip", "--loglevel", "info"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, the open transaction is cut off."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text()[-3000:]


@pytest.fixture
def worker_processes(broker, tmp_path):
    """Start workers with `worker_processes("name", "fast,letters")`; all are stopped at the end."""
    started: list[WorkerProcess] = []

    def start(name: str, queues: str = "fast,letters") -> WorkerProcess:
        worker = WorkerProcess(name, queues, broker, tmp_path)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_until_the_killed_transaction_is_gone(timeout: float = 30) -> None:
    """PostgreSQL rolls back a killed client's transaction when it sees the socket close; wait
    for that, so its row locks are released before the next worker starts."""

    def alone() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0] == 0

    wait_for(alone, timeout=timeout)


def elapsed(start: float) -> float:
    return time.monotonic() - start
