"""Factories that build objects through the product's own use cases, so a test's data
really went through the states it claims (a submitted case was submitted)."""

from __future__ import annotations

import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cases.models import (
    Answer,
    Case,
    CaseState,
    Channel,
    Criterion,
    FilerRole,
    IdentifierKind,
    OffenceCategory,
    Proposal,
)
from cases.services import Complaint, submit_complaint
from ombudsman.accounts import roles
from platforms.models import Organisation, Service

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `UserFactory(role=roles.REVIEWER)` puts them in that role's group."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    capacity = "Case officer"

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


def officer(**kwargs):
    return UserFactory(role=roles.CASE_OFFICER, **kwargs)


def reviewer(**kwargs):
    return UserFactory(role=roles.REVIEWER, **kwargs)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Platform {n} Ltd")
    kind = Organisation.Kind.PLATFORM
    country = "IE"
    contact_point_email = factory.LazyAttribute(lambda o: f"authorities@{o.name.split()[0].lower()}.example")
    letter_language = "en"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")


class ComplaintFactory(factory.Factory):
    """A complaint as the public form hands it to `submit_complaint`."""

    class Meta:
        model = Complaint

    filer_role = FilerRole.VICTIM
    first_name = "Emma"
    last_name = "Claes"
    email = "emma.claes@example.org"
    phone = "+32470000000"
    street = "Wetstraat 1"
    postal_code = "1000"
    city = "Brussel"
    country = "Belgium"
    language = "nl"
    service = factory.SubFactory(ServiceFactory)
    offence_categories = factory.LazyFunction(lambda: [OffenceCategory.THREATS])
    description = "Every night an unknown account sends me threats about my family and my address."
    identifiers = factory.LazyFunction(lambda: [(IdentifierKind.ACCOUNT_NAME, "@unknown_sender")])
    message_times = factory.LazyFunction(lambda: [timezone.now() - timedelta(days=2)])
    declared_truthful = True
    consented_to_processing = True
    evidence = factory.LazyFunction(list)


def answers_for(proposal: str) -> dict[str, dict[str, str]]:
    """Criteria answers that support `proposal`, each with its reasons."""
    answers = {c.value: {"answer": Answer.YES, "reasoning": f"Reasons for {c.value}: met."} for c in Criterion}
    if proposal == Proposal.NOT_ESTABLISHED:
        answers[Criterion.HARASSMENT] = {
            "answer": Answer.NO,
            "reasoning": "The messages criticise a public statement; they are opinion, not harassment.",
        }
    elif proposal == Proposal.INADMISSIBLE:
        answers[Criterion.PRECISE_FACTS] = {
            "answer": Answer.NO,
            "reasoning": "No date or time of any message is given.",
        }
    return answers


# The path each state is reached by, through the real use cases.
STORY = {
    CaseState.SUBMITTED: [],
    CaseState.IN_ASSESSMENT: ["assign"],
    CaseState.AWAITING_INFORMATION: ["assign", "request_information"],
    CaseState.IN_REVIEW: ["assign", "propose"],
    CaseState.ESTABLISHED: ["assign", "propose", "approve"],
    CaseState.REJECTED: ["assign", "propose", "approve"],
    CaseState.CLOSED: ["assign", "propose", "approve", "close"],
    CaseState.WITHDRAWN: ["assign", "withdraw"],
}


class CaseFactory(factory.Factory):
    """A case that really went through intake and then its states.

    `CaseFactory()` is submitted; `CaseFactory(state="in_review", officer=anna)` was
    assigned to Anna, who proposed; `state="rejected"` was then approved by a reviewer."""

    class Meta:
        model = Case

    complaint = factory.SubFactory(ComplaintFactory)
    channel = Channel.WEB
    entered_by = None
    state = CaseState.SUBMITTED
    officer = None
    reviewer = None
    proposal = None

    @classmethod
    def _create(cls, model_class, complaint, channel, entered_by, state, officer, reviewer, proposal):
        from cases import services

        case = submit_complaint(complaint=complaint, channel=channel, entered_by=entered_by)
        steps = STORY[state]
        officer = officer or (UserFactory(role=roles.CASE_OFFICER) if steps else None)
        proposal = proposal or (Proposal.ESTABLISHED if state == CaseState.ESTABLISHED else Proposal.NOT_ESTABLISHED)
        for step in steps:
            if step == "assign":
                services.assign_case(case_id=case.pk, by=officer, officer=officer)
            elif step == "request_information":
                services.request_information(case_id=case.pk, by=officer, question="Which account sent the photo?")
            elif step == "propose":
                services.propose_decision(case_id=case.pk, by=officer, answers=answers_for(proposal), proposal=proposal)
            elif step == "approve":
                reviewer = reviewer or UserFactory(role=roles.REVIEWER)
                services.approve_assessment(case_id=case.pk, by=reviewer, comment="Agreed.")
            elif step == "close":
                services.close_case(case_id=case.pk, by=officer)
            elif step == "withdraw":
                services.withdraw_case(case_id=case.pk, by=officer, reason="E-mail asking to stop.")
        return Case.objects.get(pk=case.pk)

    _build = _create


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color=(200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 612 792]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def liaison_of(organisation, **kwargs):
    """A liaison user of `organisation` (member of its liaison group)."""
    from platforms.services.common import liaison_group

    user = UserFactory(role=roles.PLATFORM_LIAISON, **kwargs)
    liaison_group(organisation).user_set.add(user)
    return user


def operator(name: str = "Proximus SA", language: str = "fr") -> Organisation:
    return OrganisationFactory(
        name=name,
        kind=Organisation.Kind.OPERATOR,
        country="BE",
        letter_language=language,
        legal_address="Boulevard du Roi Albert II 27, 1030 Brussels",
    )


ORDER_STORY = {
    "draft": [],
    "issued": ["issue"],
    "acknowledged": ["issue", "acknowledge"],
    "extension_requested": ["issue", "request_extension"],
    "answered": ["issue", "acknowledge", "answer"],
    "fulfilled": ["issue", "acknowledge", "answer", "accept"],
    "withdrawn": ["issue", "withdraw"],
}

IDENTITY = {
    "holder_name": "Jan Janssens",
    "email": "jan.janssens@mail.example",
    "phone": "+32470998877",
    "ip_addresses": [{"address": "81.82.83.84", "port": 51234, "timestamp": "2026-11-20T20:35:00+00:00"}],
    "account": {"created_at": "2025-01-02T10:00:00+00:00"},
}


def make_order(state: str = "issued", *, case=None, organisation=None, liaison=None, identity=None, outcome="identity"):
    """An order that really went through its steps; returns (order, liaison)."""
    from platforms import services
    from platforms.models import DisclosureOrder

    case = case or CaseFactory(state=CaseState.ESTABLISHED, proposal=Proposal.ESTABLISHED)
    officer = case.assigned_to
    organisation = organisation or case.service.organisation
    liaison = liaison or liaison_of(organisation)
    order = services.draft_order(
        case_id=case.pk,
        by=officer,
        organisation=organisation,
        kind="account_data",
        identifiers=[{"kind": i.kind, "value": i.value} for i in case.identifiers.all()],
        data_requested=["names", "email", "ip_addresses"],
        reasons="The messages threaten the victim repeatedly; only the holder's identity allows a complaint.",
    )
    for step in ORDER_STORY[state]:
        if step == "issue":
            services.issue_order(order_id=order.pk, by=officer)
        elif step == "acknowledge":
            services.acknowledge_order(order_id=order.pk, by=liaison)
        elif step == "request_extension":
            order.refresh_from_db()
            services.request_extension(
                order_id=order.pk, by=liaison, until=order.due_on + timedelta(days=10), reasons="Data held abroad."
            )
        elif step == "answer":
            services.submit_answer(
                order_id=order.pk,
                by=liaison,
                outcome=outcome,
                identity=(identity or IDENTITY) if outcome == "identity" else {},
                refusal_reasons="Not proportionate." if outcome == "refusal" else "",
                channel="portal",
            )
        elif step == "accept":
            services.accept_answer(order_id=order.pk, by=officer)
        elif step == "withdraw":
            services.withdraw_order(order_id=order.pk, by=officer, reason="Sent to the wrong provider.")
    return DisclosureOrder.objects.get(pk=order.pk), liaison


PROCEDURE_STORY = {
    "referred": [],
    "investigating": ["open"],
    "grievances_notified": ["open", "grievances"],
    "hearing_scheduled": ["open", "grievances", "hearing"],
    "defence_closed": ["open", "grievances", "period_over"],
    "draft_decision": ["open", "grievances", "period_over", "draft"],
    "fine_imposed": ["open", "grievances", "period_over", "draft", "draft_period_over", "fine"],
    "dismissed": ["open", "compliance"],
    "under_appeal": ["open", "grievances", "period_over", "draft", "draft_period_over", "fine", "appeal"],
    "fine_confirmed": ["open", "grievances", "period_over", "draft", "draft_period_over", "fine", "appeal", "confirm"],
    "fine_reduced": ["open", "grievances", "period_over", "draft", "draft_period_over", "fine", "appeal", "reduce"],
    "annulled": ["open", "grievances", "period_over", "draft", "draft_period_over", "fine", "appeal", "annul"],
    "paid": ["open", "grievances", "period_over", "draft", "draft_period_over", "fine", "pay"],
    "closed": ["open", "grievances", "period_over", "draft", "draft_period_over", "fine", "pay", "close"],
}

GRIEVANCES = (
    "Between March and May 2026 the organisation left three disclosure orders unanswered beyond the formal "
    "notice, contrary to article 43bis of the Act of 21 March 1991."
)
DECISION_REASONS = (
    "The organisation did not answer three orders despite formal notice; its internal routing system Projekt "
    "Falcon lost the orders, which does not excuse it. The seriousness is high given the victims' situation."
)


def bipt_officer(**kwargs):
    return UserFactory(role=roles.BIPT_OFFICER, capacity="Enforcement officer", **kwargs)


def bipt_head(**kwargs):
    return UserFactory(role=roles.BIPT_HEAD, capacity="Head of enforcement", **kwargs)


def make_referral(*, officer=None, order_state: str = "issued"):
    """A referral of an order to BIPT, assigned to `officer` (a new BIPT officer by default)."""
    from enforcement import services as enforcement

    order, _liaison = make_order(order_state)
    referral = enforcement.open_referral_by_hand(
        organisation=order.organisation,
        orders=[order],
        reason="The organisation has not answered any order this quarter without a formal notice first.",
        by=UserFactory(role=roles.REVIEWER),
    )
    if officer is not False:
        enforcement.assign_referral(referral_id=referral.pk, by=bipt_head(), officer=officer or bipt_officer())
    referral.refresh_from_db()
    return referral


def make_procedure(state: str = "referred", *, officer=None, amount: str = "50000"):
    """A sanction procedure that went through its steps. The periods that must pass
    (defence, answer to the draft) are moved into the past, as if the days had gone by."""
    from decimal import Decimal

    from enforcement import services as enforcement
    from enforcement.models import SanctionProcedure
    from enforcement.services.sweep import close_defence_periods

    referral = make_referral(officer=officer)
    officer = referral.assigned_to
    procedure = referral.procedure
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)

    def step(name: str, **values):
        enforcement.run_procedure_step(procedure_id=procedure.pk, step=name, by=officer, **values)

    for action in PROCEDURE_STORY[state]:
        if action == "open":
            step("open_investigation")
        elif action == "grievances":
            step("notify_grievances", grievances=GRIEVANCES, evidence_list="Orders, letters and their hashes.")
        elif action == "hearing":
            step("schedule_hearing", at=timezone.now() + timedelta(days=3))
        elif action == "period_over":
            SanctionProcedure.objects.filter(pk=procedure.pk).update(defence_due_on=today - timedelta(days=2))
            close_defence_periods(today)
        elif action == "draft":
            step("draft_decision", text="BIPT intends to impose a fine of EUR 50,000 for the reasons set out.")
        elif action == "draft_period_over":
            SanctionProcedure.objects.filter(pk=procedure.pk).update(draft_answer_due_on=yesterday)
        elif action == "fine":
            step(
                "decide",
                fine=True,
                reasons=DECISION_REASONS,
                seriousness="serious",
                duration_days=65,
                repeated=False,
                cooperation="none",
                turnover=Decimal("3000000000"),
                amount=Decimal(amount),
                confidential_terms=["Projekt Falcon"],
            )
        elif action == "compliance":
            step("compliance_restored", reasons="The organisation answered every order in full, late but completely.")
        elif action == "appeal":
            step("record_appeal", lodged_on=today)
        elif action == "confirm":
            step("record_judgment", judgment="confirmed", judged_on=today)
        elif action == "reduce":
            step("record_judgment", judgment="reduced", judged_on=today, reduced_amount=Decimal("20000"))
        elif action == "annul":
            step("record_judgment", judgment="annulled", judged_on=today)
        elif action == "pay":
            step("record_payment", paid_on=today, amount=Decimal(amount))
        elif action == "close":
            step("close")
    return SanctionProcedure.objects.select_related("referral__organisation").get(pk=procedure.pk)
