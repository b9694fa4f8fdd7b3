"""The README's first command on a bare machine: no DATABASE_URL, no broker URL."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_the_run_command_starts_the_embedded_product_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"OMBUDSMAN_SKIP_INSTALL": "1", "OMBUDSMAN_VAR_DIR": str(tmp_path), "PORT": str(port)})
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        [str(ROOT / "bin" / "run")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    stopped = False
    try:
        deadline = time.monotonic() + 120
        health = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    body = json.loads(response.read())
                    health = (response.status, {"database": body["database"], "broker": body["broker"]})
                    break
            except OSError:
                time.sleep(0.5)
        output = (tmp_path / "run.log").read_text()
        assert health == (200, {"database": "ok", "broker": "ok"}), output
        assert f"runs at http://127.0.0.1:{port}/" in output
        assert "officer" in output and "demo-ombudsman-2026" in output
        assert (tmp_path / "ombudsman.sqlite3").exists()
        # The worker renders the demo complaints' acknowledgements from the file-system queue.
        letters = tmp_path / "private" / "letters"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(letters.rglob("*.pdf")):
            time.sleep(0.5)
        assert list(letters.rglob("*.pdf")), (tmp_path / "run.log").read_text()
        # ... and e-mails them; a trial writes mail to files under var/mail.
        mail = tmp_path / "mail"
        while time.monotonic() < deadline and not (mail.exists() and list(mail.iterdir())):
            time.sleep(0.5)
        assert mail.exists() and list(mail.iterdir()), (tmp_path / "run.log").read_text()
        # The queue's exchange tables stay under the data directory, not where the process started.
        assert list((tmp_path / "broker" / "control").glob("*.exchange"))
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - reported below
            os.killpg(process.pid, signal.SIGKILL)
            stopped = False
        else:
            stopped = True
        log.close()
    assert stopped, "Ctrl-C did not stop the product:\n" + (tmp_path / "run.log").read_text()[-3000:]
    # No process of the product survives, and nothing keeps listening.
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
