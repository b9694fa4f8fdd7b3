"""The running product: health, roles, demo data, login throttling, production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from cases.models import Case
from ombudsman.accounts import roles
from ombudsman.core import health
from platforms.models import Organisation
from tests.conftest import authenticator, current_code
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_health_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["broker"]) == ("ok", "ok")
    assert set(body["queues"]) == {"fast", "letters"}
    assert body["last_sweep_age_seconds"] is None  # no sweep yet
    from ombudsman.deadlines.sweep import sweep_deadlines

    sweep_deadlines()
    assert 0 <= client.get("/healthz").json()["last_sweep_age_seconds"] < 60


@pytest.mark.django_db
def test_health_names_the_failing_part_with_503(client):
    from ombudsman.celery import app

    # Nothing listens on port 1: the broker is down. (Reading conf.broker_write_url would return
    # the broker URL it falls back to; restoring that would pin it for the later tests.)
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_write_url = None
    assert response.status_code == 503
    assert (response.json()["database"], response.json()["broker"]) == ("ok", "unavailable")


def test_health_reports_an_unreachable_database(monkeypatch):
    class Broken:
        def cursor(self):
            raise OSError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    assert health.check_database() == "unavailable"


@pytest.mark.django_db
def test_the_roles_exist_as_groups_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)
    administrator = Group.objects.get(name=roles.ADMINISTRATOR)
    assert administrator.permissions.filter(codename="change_organisation").exists()


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Case.objects.count() == 12
    names = set(Organisation.objects.values_list("name", flat=True))
    assert {"Meta Platforms Ireland Ltd.", "Snap B.V.", "Proximus SA", "Telenet BV", "Orange Belgium SA"} <= names
    meta = Organisation.objects.get(name="Meta Platforms Ireland Ltd.")
    assert set(meta.services.values_list("name", flat=True)) == {"WhatsApp", "Messenger", "Instagram", "Facebook"}
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    for role in roles.ROLES:
        assert users.filter(groups__name=role).exists(), role


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account(client, settings):
    user = UserFactory(username="anna", role=roles.CASE_OFFICER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "anna", "password": "wrong password"})
        assert response.status_code in (200, 429)
    locked = client.post("/accounts/login/", {"username": "anna", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked by it.
    UserFactory(username="lucas", role=roles.CASE_OFFICER)
    ok = client.post("/accounts/login/", {"username": "lucas", "password": PASSWORD})
    assert ok.status_code == 302
    assert user.pk != int(client.session["_auth_user_id"])


@pytest.mark.django_db
def test_a_good_login_leads_an_officer_to_the_start_page(client):
    device = authenticator(UserFactory(username="sofie", role=roles.REVIEWER))
    response = client.post("/accounts/login/", {"username": "sofie", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/?next=/start/"
    response = client.post(response.redirect_chain[-1][0], {"code": current_code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == "/start/"
    assert "Waiting for your review" in response.content.decode()


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "CACHE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k8Jx2vQ9mLp4Rt7wZy1aBc3dEf5gHi6jKl8mNo0pQr2sTu4vWx6yZa8bCd0eFg2hIj4kLm6n",
    "DJANGO_ALLOWED_HOSTS": "ombudsman.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ombudsman",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
    "CACHE_URL": "redis://127.0.0.1:6379/13",
    "EMAIL_URL": "submission://mailer:secret@smtp.example:587",
    "IDENTITY_KEYS": "q2bGIUoiyePT0yWE5tqZCtpvBozMqsN0FWTk4lDSQbM=,W8aHRGpyQqEAhx1yfc5AzLbYDjHHx1qA-oYEB7l_8NM=",
}


@pytest.mark.slow
def test_the_deployment_check_reports_nothing_in_production(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "OMBUDSMAN_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_the_deployment_check_requires_identity_keys(tmp_path):
    env = {**PRODUCTION, "OMBUDSMAN_VAR_DIR": str(tmp_path)}
    del env["IDENTITY_KEYS"]
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "IDENTITY_KEYS is empty" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("secret", ["", "django-insecure-development-key-not-for-production"])
def test_production_refuses_a_missing_or_default_secret_key(tmp_path, secret):
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": secret, "OMBUDSMAN_VAR_DIR": str(tmp_path)}
    if not secret:
        del env["DJANGO_SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is missing or is the development default" in result.stderr


@pytest.mark.slow
def test_verify_audit_chain_exits_with_status_1_on_a_broken_chain(tmp_path):
    env = {"DJANGO_DEBUG": "1", "OMBUDSMAN_VAR_DIR": str(tmp_path)}
    assert run_manage("migrate", "--verbosity", "0", env=env).returncode == 0
    ok = run_manage("verify_audit_chain", env=env)
    assert ok.returncode == 0, ok.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "ombudsman.sqlite3") as db:
        db.execute(
            "INSERT INTO audit_auditevent (created_at, actor_label, action, content_type_id, object_id, object_repr,"
            " from_state, to_state, data, previous_hash, hash) VALUES ('2026-01-01', 'x', 'forged', 1, '1', 'x', '',"
            " '', '{}', 'not-the-previous-hash', 'forged-hash')"
        )
    broken = run_manage("verify_audit_chain", env=env)
    assert broken.returncode == 1
    assert "Audit chain broken at event" in broken.stderr
