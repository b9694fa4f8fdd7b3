"""A staff session ends after idle time, after a working day whatever the activity, and with the browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import PASSWORD, officer

pytestmark = pytest.mark.django_db

QUEUE = "/office/cases/"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_thirty_minutes_without_activity_end_the_session(client, clock):
    client.force_login(officer())
    assert client.get(QUEUE).status_code == 200
    clock.shift(timedelta(minutes=29))
    assert client.get(QUEUE).status_code == 200
    clock.shift(timedelta(minutes=31))
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/office/cases/"
    login_page = client.get(response["Location"]).content.decode()
    assert "You were logged out after 30 minutes without activity." in login_page
    assert "_auth_user_id" not in client.session


def test_the_idle_limit_is_configurable(client, clock, settings):
    settings.STAFF_IDLE_MINUTES = 5
    client.force_login(officer())
    clock.shift(timedelta(minutes=6))
    assert client.get(QUEUE)["Location"].startswith("/accounts/login/")


def test_activity_keeps_the_session_until_the_absolute_limit(client, clock, settings):
    client.force_login(officer())
    elapsed = timedelta()
    while elapsed + timedelta(minutes=20) <= timedelta(seconds=settings.SESSION_COOKIE_AGE):
        clock.shift(timedelta(minutes=20))
        elapsed += timedelta(minutes=20)
        assert client.get(QUEUE).status_code == 200, f"logged out after {elapsed}"
    clock.shift(timedelta(minutes=20))
    response = client.get(QUEUE)
    assert response["Location"] == "/accounts/login/?next=/office/cases/"
    assert "Your session has ended. Please log in again." in client.get(response["Location"]).content.decode()


def test_the_session_cookie_ends_with_the_browser(client):
    response = client.post("/accounts/login/", {"username": officer().username, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie.value
    assert (cookie["expires"], cookie["max-age"]) == ("", "")  # a session cookie: gone when the browser closes
    assert cookie["httponly"]
