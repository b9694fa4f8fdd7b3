"""How many complaints per second the public form takes through gunicorn on loopback.

    benchmarks/intake_throughput.py [--cases 1000000] [--seconds 20] [--clients 8] [--workers 2] [--threads 1]
    BENCH_REUSE=1 benchmarks/intake_throughput.py

Starts gunicorn as in the Procfile (2 workers x 1 thread: gunicorn's sync workers) on 127.0.0.1 against the benchmark
database, with the production settings (DJANGO_DEBUG=0, fresh secrets, plain HTTP on loopback)
and INTAKE_RATE_LIMIT raised for the run (every request comes from one address).
Each client fetches the form once (CSRF cookie and token), then posts complete complaints
(two identifiers of their own, an account name and a phone number; two message times; no
evidence file: the upload is optional) as fast as the server answers. A submission counts when
it is answered 302 (to the confirmation page); any other answer is an error. Every submission
is a case with its audit event and its acknowledgement request (the letter task is queued on
Redis and purged afterwards: rendering is measured by letter_rendering.py). Once counted, the
run's complaints (some 6,000) are removed with their rows and requests, so that they do not
wait in the intake queue that the work-queue and search benchmarks show to case officers; their
audit events stay, as the trail's chain must stay whole. `--keep` keeps the complaints.
Goal: 200 submissions/s, no errors."""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlencode

from common import ROOT, figures, machine, prepare, production_environment

GOAL_PER_SECOND = 200
PORT = int(os.environ.get("BENCH_PORT", "8765"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the run's complaints in the intake queue")
    args = parser.parse_args()
    prepare(args.cases)

    from cases.models import Case
    from ombudsman.audit.models import AuditEvent
    from ombudsman.celery import app
    from ombudsman.letters.models import LetterRequest
    from platforms.models import Service
    from tests.cases.helpers import complaint_post

    form = complaint_post(Service.objects.get(name="Instagram"))
    # Each complaint its own description and perpetrator's account, below: one account named in
    # every complaint of a run would make it the most linked perpetrator of the archive.
    del form["description"], form["identifiers-0-value"], form["identifiers-1-value"]
    body = urlencode(form, doseq=True)
    print(f"{Case.objects.count():,} cases; {machine()}")
    server = start_gunicorn(args.workers, args.threads)
    try:
        before = Case.objects.order_by("-id").values_list("id", flat=True).first()
        results: list[tuple[float, float, int]] = []
        stop = time.perf_counter() + 2 + args.seconds  # 2 s of warm-up, not counted
        clients = [threading.Thread(target=submit, args=(body, stop, results)) for _ in range(args.clients)]
        for client in clients:
            client.start()
        time.sleep(2)
        cpu_before = cpu_seconds(server.pid)
        for client in clients:
            client.join()
        cpu_after = cpu_seconds(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    app.control.purge()

    window_start = stop - args.seconds
    counted = [result for result in results if result[0] >= window_start]
    ok = [result for result in counted if result[2] == 302]
    errors = len(counted) - len(ok)
    median, p95 = figures([result[1] for result in counted]) if counted else (0, 0)
    rate = len(ok) / args.seconds
    new_cases = Case.objects.filter(id__gt=before or 0)
    created = new_cases.count()
    answered = sum(1 for result in results if result[2] == 302)
    events = AuditEvent.objects.filter(
        action="submitted",
        content_type__model="case",
        object_id__in=[str(pk) for pk in new_cases.values_list("id", flat=True)],
    ).count()
    letters = LetterRequest.objects.filter(
        kind="acknowledgement", object_id__in=[str(pk) for pk in new_cases.values_list("id", flat=True)]
    ).count()
    print(
        f"intake through gunicorn ({args.workers} workers x {args.threads} threads, {args.clients} clients, "
        f"{args.seconds:.0f} s): {rate:.0f} submissions/s, {errors} errors; "
        f"response median {median:.0f} ms, p95 {p95:.0f} ms"
    )
    if ok:
        spent = {part: (cpu_after[part] - cpu_before[part]) / len(ok) * 1000 for part in cpu_after}
        print(
            "  CPU per submission: "
            + ", ".join(f"{part} {milliseconds:.1f} ms" for part, milliseconds in spent.items())
            + f"; {sum(spent.values()):.1f} ms in all, on {os.cpu_count()} cores"
        )
    print(
        f"  {created} cases created for {answered} submissions answered 302, "
        f"{events} audit events, {letters} letter requests"
    )
    assert created == answered == events == letters, "every submission is one case, one event, one letter request"
    if not args.keep:
        remove_complaints_after(before or 0)
    print("goal met" if rate >= GOAL_PER_SECOND and not errors else "goal missed")


def remove_complaints_after(last_case_id: int) -> None:
    """Remove the run's complaints (cases after `last_case_id`) with their rows and letter
    requests; not their audit events, which the chain holds."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from cases.models import Case
    from ombudsman.letters.models import LetterRequest

    with transaction.atomic():
        complaints = Case.objects.filter(id__gt=last_case_id)
        new_ids = [str(pk) for pk in complaints.values_list("id", flat=True)]
        case_type = ContentType.objects.get_for_model(Case)
        LetterRequest.objects.filter(content_type=case_type, object_id__in=new_ids).delete()
        complaints.delete()
    print(f"  {len(new_ids)} complaints of this run removed (their audit events stay); --keep keeps them")


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU time used so far by gunicorn (master and workers), by PostgreSQL (the connections to the
    benchmark database and the server's own processes, such as the WAL writer) and by this process
    (the clients), read from /proc (Linux)."""
    from django.db import connection

    database = connection.settings_dict["NAME"].encode()
    tick = os.sysconf("SC_CLK_TCK")
    spent = {"gunicorn": 0.0, "PostgreSQL": 0.0}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read()
        except OSError:
            continue  # the process ended meanwhile
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime and stime
        parent = int(fields[1])
        if int(entry) == server_pid or parent == server_pid:
            spent["gunicorn"] += seconds
        elif command.startswith(b"postgres:"):
            words = command.replace(b"\0", b" ").split()
            # A connection's title names its user, database and client; the server's own do not.
            is_connection = any(b"(" in word or word == b"[local]" for word in words)
            if not is_connection or database in words:
                spent["PostgreSQL"] += seconds
    times = os.times()
    spent["clients"] = times.user + times.system
    return spent


def start_gunicorn(workers: int, threads: int) -> subprocess.Popen:
    environment = {**production_environment(), "INTAKE_RATE_LIMIT": "1000000/h", "WEB_CONCURRENCY": str(workers)}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "ombudsman.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--graceful-timeout",
            "5",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status in (200, 503):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    sys.exit("gunicorn did not start")


def submit(body: str, stop: float, results: list) -> None:
    """One complainant after another from one client: the form once, then complaints."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request("GET", "/complaint/")
    page = connection.getresponse()
    html = page.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    payload = f"{body}&csrfmiddlewaretoken={token}"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
    while (started := time.perf_counter()) < stop:
        unique = uuid.uuid4().hex
        data = f"{payload}&description=Unknown+account+threatens+me+every+evening+{unique}"
        phone = f"%2B32470{int(unique[:8], 16) % 1_000_000:06d}"
        data = f"{data}&identifiers-0-value=%40sender_{unique[:12]}&identifiers-1-value={phone}".encode()
        connection.request("POST", "/complaint/", body=data, headers=headers)
        response = connection.getresponse()
        response.read()
        results.append((started, time.perf_counter() - started, response.status))


if __name__ == "__main__":
    main()
