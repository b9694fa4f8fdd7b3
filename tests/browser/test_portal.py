"""A platform's liaison answers an order in the portal; the officer sees the answer."""

from __future__ import annotations

import re

import pytest

from platforms.models import DisclosureAnswer
from tests.browser.conftest import log_in
from tests.factories import make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_liaison_acknowledges_and_answers_in_the_portal(live_server, page):
    order, liaison = make_order("issued")
    other_order, _ = make_order("issued")

    log_in(page, live_server.url, liaison)
    page.goto(f"{live_server.url}/portal/orders/")
    assert page.get_by_role("link", name=order.reference).count() == 1
    assert page.get_by_role("link", name=other_order.reference).count() == 0

    page.get_by_role("link", name=order.reference).click()
    page.get_by_text("Acknowledge receipt").click()
    page.get_by_role("button", name="Acknowledge").click()
    assert page.locator("#order-state").inner_text() == "Acknowledged"

    page.get_by_text("Answer the order").click()
    form = page.locator("#step-answer form")
    form.get_by_label("Identity data provided").check()
    form.get_by_label("Name of the holder").fill("Jan Janssens")
    form.get_by_label("Phone number (E.164, e.g. +32470123456)").fill("not a number")
    form.get_by_role("button", name="Send the answer").click()
    assert "is not a phone number" in page.locator("#step-answer").inner_text()
    assert page.locator("#order-state").inner_text() == "Acknowledged"

    form = page.locator("#step-answer form")
    form.get_by_label("Phone number (E.164, e.g. +32470123456)").fill("+32470998877")
    form.locator("input[name='answer-ip_0_address']").fill("81.82.83.84")
    form.locator("input[name='answer-ip_0_port']").fill("51234")
    form.locator("input[name='answer-ip_0_timestamp']").fill("2026-11-20T20:35")
    form.get_by_role("button", name="Send the answer").click()
    assert page.locator("#order-state").inner_text() == "Answered"
    identity = DisclosureAnswer.objects.get().unseal_identity()
    assert identity["holder_name"] == "Jan Janssens" and identity["phone"] == "+32470998877"
    assert identity["ip_addresses"][0]["address"] == "81.82.83.84"

    # A stranger's order is a 404 in the portal.
    response = page.goto(f"{live_server.url}/portal/orders/{other_order.reference}/")
    assert response.status == 404

    page.goto(f"{live_server.url}/portal/orders/")
    page.get_by_role("button", name=re.compile("^Log out")).click()
    log_in(page, live_server.url, order.case.assigned_to.username)
    page.goto(f"{live_server.url}/office/orders/{order.reference}/")
    assert "Identity data provided" in page.content()
    assert "Jan Janssens" not in page.content()
