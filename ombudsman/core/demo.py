"""Demo data for a trial: one account per role, the platforms and operators, a dozen complaints."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import services
from cases.models import Answer, Case, Channel, Criterion, FilerRole, IdentifierKind, OffenceCategory, Proposal
from cases.services import Complaint, submit_complaint
from ombudsman.accounts import roles
from platforms.models import Organisation, Service
from platforms.services.common import liaison_group

DEMO_PASSWORD = "demo-ombudsman-2026"
# The second factor of every demo account: this key in an authenticator app (the same for all
# accounts), or one of the backup codes (each works once; seed_demo restores them).
DEMO_TOTP_SECRET = "OMBUDSMANDEMOTWOFACTORSECRETKEYS"
DEMO_BACKUP_CODES = [f"demo-code-{n}" for n in range(1, 10)]
DEMO_EMAIL_DOMAIN = "demo.example"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    capacity: str
    organisation: str = ""


ACCOUNTS = [
    DemoAccount("officer", "Anna", "Peeters", roles.CASE_OFFICER, "Case officer"),
    DemoAccount("officer2", "Lucas", "Dubois", roles.CASE_OFFICER, "Case officer"),
    DemoAccount("reviewer", "Sofie", "Janssens", roles.REVIEWER, "Senior case officer"),
    DemoAccount(
        "liaison-meta",
        "Ciara",
        "Byrne",
        roles.PLATFORM_LIAISON,
        "Law enforcement response",
        "Meta Platforms Ireland Ltd.",
    ),
    DemoAccount(
        "liaison-proximus",
        "Marc",
        "Wouters",
        roles.PLATFORM_LIAISON,
        "Legal department",
        "Proximus SA",
    ),
    DemoAccount("bipt", "Nathalie", "Lambert", roles.BIPT_OFFICER, "Enforcement officer"),
    DemoAccount("bipt-head", "Koen", "Verhoeven", roles.BIPT_HEAD, "Head of enforcement"),
    DemoAccount("admin", "Pieter", "De Smet", roles.ADMINISTRATOR, "Functional administrator"),
]

ORGANISATIONS = [
    (
        "Meta Platforms Ireland Ltd.",
        "platform",
        "IE",
        "Merrion Road, Dublin 4, D04 X2K5, Ireland",
        "en",
        ["WhatsApp", "Messenger", "Instagram", "Facebook"],
    ),
    (
        "Snap B.V.",
        "platform",
        "NL",
        "Keizersgracht 165, 1016 DP Amsterdam, Netherlands",
        "en",
        ["Snapchat"],
    ),
    (
        "TikTok Technology Ltd",
        "platform",
        "IE",
        "10 Earlsfort Terrace, Dublin 2, D02 T380, Ireland",
        "en",
        ["TikTok"],
    ),
    (
        "X Internet Unlimited Company",
        "platform",
        "IE",
        "One Cumberland Place, Fenian Street, Dublin 2, Ireland",
        "en",
        ["X"],
    ),
    (
        "Telegram Messenger Inc.",
        "platform",
        "AE",
        "Dubai Media City, Dubai, United Arab Emirates",
        "en",
        ["Telegram"],
    ),
    (
        "Proximus SA",
        "operator",
        "BE",
        "Boulevard du Roi Albert II 27, 1030 Brussels",
        "fr",
        ["Mobile telephony", "Fixed internet"],
    ),
    (
        "Telenet BV",
        "operator",
        "BE",
        "Liersesteenweg 4, 2800 Mechelen",
        "nl",
        ["Mobile telephony", "Fixed internet"],
    ),
    (
        "Orange Belgium SA",
        "operator",
        "BE",
        "Avenue du Bourget 3, 1140 Brussels",
        "fr",
        ["Mobile telephony", "Fixed internet"],
    ),
]

COMPLAINTS = [
    # (first, last, language, service, categories, identifier kind, identifier, filer)
    (
        "Emma",
        "Claes",
        "nl",
        "Instagram",
        ["threats", "repeated_insults"],
        "account_name",
        "@shadow_emma_hater",
        "victim",
    ),
    (
        "Louis",
        "Lejeune",
        "fr",
        "Snapchat",
        ["sexual_extortion"],
        "account_name",
        "louis.exposed2026",
        "victim",
    ),
    (
        "Noor",
        "El Amrani",
        "nl",
        "WhatsApp",
        ["threats", "intimidation"],
        "phone",
        "+32470112233",
        "victim",
    ),
    (
        "Camille",
        "Renard",
        "fr",
        "Messenger",
        ["stalking"],
        "profile_url",
        "https://www.facebook.com/profile.php?id=100090001",
        "victim",
    ),
    (
        "Jonas",
        "Maes",
        "nl",
        "TikTok",
        ["repeated_insults"],
        "account_name",
        "@jonas_is_a_joke",
        "parent",
    ),
    ("Chloé", "Dumont", "fr", "X", ["threats"], "account_name", "@anon_brux_77", "victim"),
    (
        "Lena",
        "Schmitz",
        "de",
        "Instagram",
        ["stalking", "intimidation"],
        "account_name",
        "@lena.watcher",
        "victim",
    ),
    (
        "Arthur",
        "Wouters",
        "nl",
        "Telegram",
        ["sexual_extortion", "threats"],
        "account_name",
        "@pay_or_post",
        "lawyer",
    ),
    ("Manon", "Lambert", "fr", "WhatsApp", ["intimidation"], "phone", "+32485998877", "victim"),
    (
        "Lucas",
        "Jacobs",
        "en",
        "Facebook",
        ["repeated_insults", "other"],
        "profile_url",
        "https://www.facebook.com/fake.account.991",
        "victim",
    ),
    ("Marie", "Dubois", "fr", "Mobile telephony", ["threats"], "phone", "+32491234567", "parent"),
    (
        "Ella",
        "Mertens",
        "nl",
        "Snapchat",
        ["threats", "stalking"],
        "email",
        "anon.sender@protonmail.example",
        "victim",
    ),
]


def seed_accounts() -> list[DemoAccount]:
    User = get_user_model()
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@{DEMO_EMAIL_DOMAIN}",
                "capacity": account.capacity,
                "is_staff": account.role == roles.ADMINISTRATOR,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get_or_create(name=account.role)[0])
        if account.organisation:
            liaison_group(Organisation.objects.get(name=account.organisation)).user_set.add(user)
        seed_second_factor(user)
    return ACCOUNTS


def seed_second_factor(user: Any) -> None:
    """The demo account's authenticator (DEMO_TOTP_SECRET) and its backup codes, restored."""
    TOTPDevice.objects.update_or_create(
        user=user,
        name="Demo authenticator",
        defaults={"key": base64.b32decode(DEMO_TOTP_SECRET).hex(), "confirmed": True},
    )
    backup, _created = StaticDevice.objects.get_or_create(user=user, name="Demo backup codes")
    backup.token_set.all().delete()
    backup.token_set.bulk_create([StaticToken(device=backup, token=code) for code in DEMO_BACKUP_CODES])


def seed_organisations() -> None:
    for name, kind, country, address, language, service_names in ORGANISATIONS:
        slug = name.split()[0].lower()
        organisation, _created = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "country": country,
                "legal_address": address,
                "letter_language": language,
                "contact_point_email": f"authority-requests@{slug}.{DEMO_EMAIL_DOMAIN}",
            },
        )
        for service in service_names:
            Service.objects.get_or_create(organisation=organisation, name=service)


def seed_complaints() -> int:
    existing = Case.objects.filter(complainant_email__endswith=f"@{DEMO_EMAIL_DOMAIN}").count()
    created = 0
    now = timezone.now()
    for index, row in enumerate(COMPLAINTS[existing:], start=existing):
        first, last, language, service_name, categories, id_kind, identifier, filer = row
        complaint = Complaint(
            filer_role=FilerRole(filer),
            victim_name=""
            if filer == "victim"
            else f"{first} {last} (minor)"
            if filer == "parent"
            else f"Client of {first} {last}",
            first_name=first,
            last_name=last,
            email=f"{first.lower().replace('é', 'e')}.{last.lower().replace(' ', '')}@{DEMO_EMAIL_DOMAIN}",
            phone="",
            street=f"Demostraat {index + 1}",
            postal_code=str(1000 + index * 10),
            city="Brussel"
            if language == "nl"
            else "Bruxelles"
            if language == "fr"
            else "Eupen"
            if language == "de"
            else "Brussels",
            country="Belgium",
            language=language,
            service=Service.objects.filter(name=service_name).order_by("organisation__name").first(),
            offence_categories=[OffenceCategory(code) for code in categories],
            description=(
                "Since several weeks I receive messages from an account I do not know. "
                "The messages threaten me and mention where I live and go to school."
            ),
            identifiers=[(IdentifierKind(id_kind), identifier)],
            message_times=[
                now - timedelta(days=3 + index, hours=index),
                now - timedelta(days=1 + index),
            ],
            declared_truthful=True,
            consented_to_processing=True,
        )
        case = submit_complaint(complaint=complaint, channel=Channel.WEB)
        advance_demo_case(case, index)
        created += 1
    return created


def _criteria(harassment: str) -> dict[str, dict[str, str]]:
    answers = {criterion.value: {"answer": Answer.YES, "reasoning": "Met on the file."} for criterion in Criterion}
    answers[Criterion.HARASSMENT] = {
        "answer": harassment,
        "reasoning": "Repeated threats naming the victim's school."
        if harassment == Answer.YES
        else "The messages criticise the complainant's public posts; they are opinion, not harassment.",
    }
    return answers


def advance_demo_case(case: Case, index: int) -> None:
    """Move a few demo cases along, so every screen has something to show."""
    User = get_user_model()
    officer = User.objects.get(username="officer")
    officer2 = User.objects.get(username="officer2")
    reviewer = User.objects.get(username="reviewer")
    if index in (0, 1, 2):
        services.assign_case(case_id=case.pk, by=officer, officer=officer)
    if index == 1:
        services.propose_decision(
            case_id=case.pk, by=officer, answers=_criteria(Answer.YES), proposal=Proposal.ESTABLISHED
        )
    if index == 2:
        services.request_information(
            case_id=case.pk, by=officer, question="Please send screenshots showing the date and time of each message."
        )
    if index in (4, 5):
        services.assign_case(case_id=case.pk, by=officer, officer=officer)
        services.propose_decision(
            case_id=case.pk, by=officer, answers=_criteria(Answer.YES), proposal=Proposal.ESTABLISHED
        )
        services.approve_assessment(case_id=case.pk, by=reviewer, comment="Established: repeated threats.")
        advance_demo_orders(case, index, officer)
    if index == 3:
        services.assign_case(case_id=case.pk, by=officer2, officer=officer2)
        services.propose_decision(
            case_id=case.pk, by=officer2, answers=_criteria(Answer.NO), proposal=Proposal.NOT_ESTABLISHED
        )
        services.approve_assessment(case_id=case.pk, by=reviewer, comment="Agreed: protected expression.")


def advance_demo_orders(case: Case, index: int, officer: Any) -> None:
    """An order waiting for Meta, and a chain that reached Proximus, for the liaison portals."""
    from platforms import services as orders

    meta = Organisation.objects.get(name="Meta Platforms Ireland Ltd.")
    meta_liaison = get_user_model().objects.get(username="liaison-meta")
    order = orders.draft_order(
        case_id=case.pk,
        by=officer,
        organisation=meta,
        kind="account_data",
        identifiers=[{"kind": i.kind, "value": i.value} for i in case.identifiers.all()],
        data_requested=["names", "email", "phone", "ip_addresses", "registration"],
        reasons="The account sends repeated threats naming the victim's school. Only the holder's data "
        "allows the victim to file a complaint; the data asked is limited to what identifies the holder.",
    )
    orders.issue_order(order_id=order.pk, by=officer)
    if index == 4:
        # A referral for BIPT's screens: the Ombudsman refers Meta by hand, BIPT assigns it.
        from enforcement import services as enforcement

        User = get_user_model()
        referral = enforcement.open_referral_by_hand(
            organisation=meta,
            orders=[order],
            reason="Meta Platforms Ireland has acknowledged none of the orders of the last quarter and answers "
            "only after formal notice; the Ombudsman refers this pattern of late cooperation to BIPT.",
            by=User.objects.get(username="reviewer"),
        )
        enforcement.assign_referral(
            referral_id=referral.pk,
            by=User.objects.get(username="bipt-head"),
            officer=User.objects.get(username="bipt"),
        )
    if index == 5:
        orders.acknowledge_order(order_id=order.pk, by=meta_liaison)
        orders.submit_answer(
            order_id=order.pk,
            by=meta_liaison,
            outcome="identity",
            identity={
                "ip_addresses": [{"address": "81.82.83.84", "port": 51234, "timestamp": "2026-11-20T20:35:00+00:00"}]
            },
            channel="api",
        )
        orders.accept_answer(order_id=order.pk, by=officer)
        follow_up = orders.draft_order(
            case_id=case.pk,
            by=officer,
            organisation=Organisation.objects.get(name="Proximus SA"),
            kind="ip_subscriber",
            identifiers=[
                {"kind": "ip_address", "value": "81.82.83.84", "port": 51234, "timestamp": "2026-11-20T20:35:00+00:00"}
            ],
            data_requested=["subscriber"],
            reasons="The platform named this IP address as used for the messages; its subscriber holds the line.",
            follows=order,
        )
        orders.issue_order(order_id=follow_up.pk, by=officer)


@transaction.atomic
def seed_demo() -> tuple[list[DemoAccount], int]:
    seed_organisations()
    accounts = seed_accounts()  # before the complaints: officers take some of them
    return accounts, seed_complaints()
