"""Every account confirms a second factor (an authenticator app's code) after its password."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ombudsman.accounts import roles
from ombudsman.audit.models import AuditEvent
from tests.conftest import authenticator, current_code
from tests.factories import PASSWORD, UserFactory, make_order, officer

pytestmark = pytest.mark.django_db

QUEUE = "/office/cases/"


def log_in_with_password(client, user) -> None:
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"


@pytest.fixture
def after_the_password(client):
    """An officer with an authenticator app, logged in with the password only; their device."""
    anna = officer()
    device = authenticator(anna)
    log_in_with_password(client, anna)
    return device


def test_a_password_alone_does_not_open_the_work_queue(client, after_the_password):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=/office/cases/"
    page = client.get(response["Location"])
    assert "Confirm your login" in page.content.decode()


def test_a_wrong_code_is_refused_with_a_message(client, after_the_password):
    device = after_the_password
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/?next=/office/cases/", {"code": wrong})
    assert response.status_code == 400
    assert "This code is not valid. Enter the current code from your authenticator app." in response.content.decode()
    assert client.get(QUEUE).status_code == 302


def test_the_current_code_opens_the_office(client, after_the_password):
    device = after_the_password
    response = client.post("/accounts/two-factor/?next=/office/cases/", {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200


def test_the_second_factor_never_leads_to_another_site(client, after_the_password):
    device = after_the_password
    response = client.post("/accounts/two-factor/?next=https://evil.example/", {"code": current_code(device)})
    assert response["Location"] == "/start/"


def test_repeated_wrong_codes_are_throttled(client):
    anna = officer()
    device = authenticator(anna)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        log_in_with_password(client, anna)
        for wait in (1, 2, None):  # each wrong code doubles the wait before the next try
            assert "This code is not valid" in client.post("/accounts/two-factor/", {"code": "000000"}).content.decode()
            if wait:
                traveller.shift(timedelta(seconds=wait))
        refused = client.post("/accounts/two-factor/", {"code": current_code(device)})
        assert refused.status_code == 400
        assert "Too many wrong codes. Try again in 4 seconds." in refused.content.decode()
        traveller.shift(timedelta(seconds=5))
        accepted = client.post("/accounts/two-factor/", {"code": current_code(device)})
        assert accepted.status_code == 302
    assert client.get(QUEUE).status_code == 200


def test_a_first_login_enrols_an_authenticator_app(client):
    lucas = officer()
    log_in_with_password(client, lucas)
    response = client.get(QUEUE)
    assert response["Location"] == "/accounts/two-factor/setup/?next=/office/cases/"
    page = client.get(response["Location"]).content.decode()
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page)
    secret = re.search(r'<code id="totp-secret" class="secret">([A-Z2-7 ]+)</code>', page)[1].replace(" ", "")
    # A reload shows the same key: the user may scan it and come back.
    assert (
        re.search(
            r'<code id="totp-secret" class="secret">([A-Z2-7 ]+)</code>',
            client.get("/accounts/two-factor/setup/").content.decode(),
        )[1].replace(" ", "")
        == secret
    )
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        code = f"{totp(key):06d}"
        wrong = client.post(
            "/accounts/two-factor/setup/?next=/office/cases/", {"code": f"{(int(code) + 1) % 10**6:06d}"}
        )
        assert wrong.status_code == 400
        assert "This code is not valid" in wrong.content.decode()
        assert not TOTPDevice.objects.filter(user=lucas, confirmed=True).exists()
        traveller.shift(timedelta(seconds=2))  # the wait after a wrong code
        done = client.post("/accounts/two-factor/setup/?next=/office/cases/", {"code": code})
    assert done["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200
    device = TOTPDevice.objects.get(user=lucas)
    assert device.confirmed and device.bin_key == key
    assert AuditEvent.objects.filter(action="second_factor_enrolled", object_id=str(lucas.pk)).exists()


def test_a_password_alone_cannot_replace_a_confirmed_authenticator(client):
    anna = officer()
    authenticator(anna)
    log_in_with_password(client, anna)
    response = client.get("/accounts/two-factor/setup/?next=/office/cases/")
    assert response["Location"] == "/accounts/two-factor/?next=/office/cases/"
    assert client.post("/accounts/two-factor/setup/", {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=anna).count() == 1


def test_a_backup_code_works_once(client):
    anna = officer()
    authenticator(anna)
    backup = StaticDevice.objects.create(user=anna, name="Backup codes")
    backup.token_set.create(token="k7m2x4qp")
    log_in_with_password(client, anna)
    assert client.post("/accounts/two-factor/", {"code": "K7M2 X4QP"}).status_code == 302
    assert client.get(QUEUE).status_code == 200

    client.logout()
    log_in_with_password(client, anna)
    again = client.post("/accounts/two-factor/", {"code": "k7m2x4qp"})
    assert again.status_code == 400
    assert client.get(QUEUE).status_code == 302


def test_the_admin_requires_the_second_factor(client):
    administrator = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    device = authenticator(administrator)
    anonymous = client.get("/admin/", follow=True)
    assert anonymous.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"

    log_in_with_password(client, administrator)
    response = client.get("/admin/")
    assert response["Location"] == "/accounts/two-factor/?next=/admin/"
    client.post("/accounts/two-factor/", {"code": current_code(device)})
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_itself_refuses_an_unconfirmed_session(rf):
    from django.contrib import admin
    from django.contrib.auth.models import AnonymousUser

    administrator = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    request = rf.get("/admin/")
    request.user = administrator
    administrator.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    administrator.is_verified = lambda: True
    assert admin.site.has_permission(request)
    request.user = AnonymousUser()
    assert not admin.site.has_permission(request)


def test_the_api_token_needs_no_second_factor(client):
    order, liaison = make_order("issued")
    token = Token.objects.create(user=liaison)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get("/api/v1/orders/")
    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [order.reference]


def test_a_liaison_confirms_the_second_factor_for_the_portal(client):
    order, liaison = make_order("issued")
    log_in_with_password(client, liaison)
    assert client.get("/portal/orders/")["Location"] == "/accounts/two-factor/setup/?next=/portal/orders/"


def test_the_second_factor_can_be_turned_off(client, settings):
    settings.STAFF_TWO_FACTOR = False
    anna = officer()
    log_in_with_password(client, anna)
    assert client.get(QUEUE).status_code == 200


def test_the_demo_accounts_log_in_with_the_documented_key_or_a_backup_code(client):
    from ombudsman.core.demo import (
        DEMO_BACKUP_CODES,
        DEMO_PASSWORD,
        DEMO_TOTP_SECRET,
        seed_accounts,
        seed_organisations,
    )

    seed_organisations()
    seed_accounts()
    seed_accounts()  # idempotent, and restores the backup codes
    assert client.post("/accounts/login/", {"username": "officer", "password": DEMO_PASSWORD}).status_code == 302
    code = f"{totp(base64.b32decode(DEMO_TOTP_SECRET)):06d}"
    assert client.post("/accounts/two-factor/", {"code": code}).status_code == 302
    assert client.get(QUEUE).status_code == 200

    liaison = Client()
    assert liaison.post("/accounts/login/", {"username": "liaison-meta", "password": DEMO_PASSWORD}).status_code == 302
    assert liaison.post("/accounts/two-factor/", {"code": DEMO_BACKUP_CODES[0]}).status_code == 302
    assert liaison.get("/portal/orders/").status_code == 200
    assert StaticDevice.objects.get(user__username="liaison-meta").token_set.count() == len(DEMO_BACKUP_CODES) - 1
    seed_accounts()
    assert StaticDevice.objects.get(user__username="liaison-meta").token_set.count() == len(DEMO_BACKUP_CODES)


def test_wrong_codes_of_one_user_never_lock_out_another(client):
    anna, lucas = officer(), officer()
    authenticator(anna)
    lucas_device = authenticator(lucas)
    log_in_with_password(client, anna)
    for _ in range(3):
        client.post("/accounts/two-factor/", {"code": "000000"})
    other = Client()
    log_in_with_password(other, lucas)
    assert other.post("/accounts/two-factor/", {"code": current_code(lucas_device)}).status_code == 302
