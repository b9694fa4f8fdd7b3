"""The life of one generated case, step by step as the use cases would have written it: the
rows of the case, its identifiers, assessments, requests for information, orders, answers,
letters (rows only; no PDF is rendered), object permissions, and one audit event per step.

A case walks through its steps until the next one would lie after `now`; where it stopped is
its state, so recent cases are still open and older ones concluded, in plausible shares."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from cases.identifiers import handle, platform_of_service
from ombudsman.audit.services import PUBLIC, SYSTEM
from ombudsman.core.loadgen import catalogue as cat
from ombudsman.letters.models import CODE_ALPHABET

BRUSSELS = ZoneInfo(settings.TIME_ZONE)
CRITERIA = ("standing", "precise_facts", "service_in_scope", "perpetrator_unknown", "harassment", "necessary")
ORDER_DAYS = settings.DISCLOSURE_ORDER_DAYS


@dataclass(frozen=True)
class Person:
    """A member of staff or a liaison as the generated rows name them."""

    pk: int
    username: str
    name: str
    capacity: str
    contact: str
    begin: datetime | None = None
    end: datetime | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class Place:
    """A service complainants name, with the organisation that runs it."""

    service_id: int
    service_name: str
    organisation_id: int
    organisation_name: str
    organisation_kind: str
    letter_language: str
    contact_email: str
    legal_address: str


@dataclass
class World:
    """What every case draws on: staff, services, content types, permission ids, id blocks."""

    officers: list[Person]
    reviewers: list[Person]
    liaisons: dict[int, Person]  # organisation id -> its liaison
    liaison_groups: dict[int, int]  # organisation id -> group id
    places: list[Place]
    place_weights: list[float]
    operators: list[Place]
    content_types: dict[str, int]  # "case", "order"
    permissions: dict[str, int]  # "view_case", "change_case", "view_order", "answer_order"
    next_id: Callable[[str], int]  # model key -> a reserved id
    due_date: Callable[[date, int], date]  # the legal date rule, memoised
    reminder_date: Callable[[date], date]
    identity_ciphertext: str
    repeat_pool: int
    intake_signatory: tuple[str, str, str]


@dataclass
class Batch:
    """The rows of a block of cases, per model key, and their audit events in any order."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    events: list[dict[str, Any]] = field(default_factory=list)


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _local(moment: datetime) -> date:
    return moment.astimezone(BRUSSELS).date()


def _sweep_time(day: date) -> datetime:
    """When the night's sweep handles what fell due the day before."""
    return datetime.combine(day, time(2, 5), BRUSSELS)


def verification_code(letter_id: int) -> str:
    """A code unique per letter id (an odd multiplier permutes 60-bit numbers), looking random."""
    number = (letter_id * 0x9E3779B97F4A7C15) % (1 << 60)
    raw = "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class CaseStory:
    """Writes the rows of one case into the batch, from its submission to where `now` stops it."""

    def __init__(self, world: World, batch: Batch, rng: random.Random, now: datetime) -> None:
        self.world = world
        self.batch = batch
        self.rng = rng
        self.now = now

    # Helpers: time, events, letters.

    def later(self, moment: datetime, low_days: float, high_days: float) -> datetime:
        return moment + timedelta(days=self.rng.uniform(low_days, high_days))

    def event(
        self,
        moment: datetime,
        target: str,
        obj: dict[str, Any],
        action: str,
        *,
        actor: Person | None = None,
        label: str = "",
        from_state: str = "",
        to_state: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        self.batch.events.append(
            {
                "created_at": moment.astimezone(UTC),  # as the database returns it, for the hash
                "actor_id": actor.pk if actor else None,
                "actor_label": label or (actor.username if actor else SYSTEM),
                "action": action,
                "content_type_id": self.world.content_types[target],
                "object_id": str(obj["id"]),
                "object_repr": obj["reference"],
                "from_state": from_state,
                "to_state": to_state,
                "data": data or {},
            }
        )

    def letter(
        self,
        moment: datetime,
        kind: str,
        target: str,
        obj: dict[str, Any],
        trigger: str,
        *,
        language: str,
        recipient: tuple[str, str, str],
        signatory: tuple[str, str, str],
        by: Person | None = None,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        """The request, the letter row (its PDF is not rendered) and their audit events."""
        request_id = self.world.next_id("letter_request")
        letter_id = self.world.next_id("letter")
        created = moment + timedelta(seconds=self.rng.uniform(2, 40))
        code = verification_code(letter_id)
        sha256 = hashlib.sha256(code.encode()).hexdigest()
        name, email, address = recipient
        sent = created + timedelta(seconds=self.rng.uniform(5, 90)) if email else None
        content_type = self.world.content_types[target]
        self.batch.rows["letter_request"].append(
            {
                "id": request_id,
                "kind": kind,
                "language": language,
                "content_type_id": content_type,
                "object_id": str(obj["id"]),
                "trigger_key": f"{target}:{obj['id']}:{kind}:{trigger}",
                "parameters": parameters or {},
                "requested_by_id": by.pk if by else None,
                "requested_at": moment,
                "completed_at": created,
                "attempts": 1,
                "last_error": "",
            }
        )
        self.batch.rows["letter"].append(
            {
                "id": letter_id,
                "request_id": request_id,
                "kind": kind,
                "language": language,
                "content_type_id": content_type,
                "object_id": str(obj["id"]),
                "reference": obj["reference"],
                "version": 1,
                "recipient_name": name,
                "recipient_email": email,
                "recipient_address": address,
                "signatory_name": signatory[0],
                "signatory_capacity": signatory[1],
                "signatory_contact": signatory[2],
                "pdf": f"letters/{moment:%Y/%m}/{request_id}.pdf",
                "sha256": sha256,
                "verification_code": code,
                "created_by_id": by.pk if by else None,
                "created_at": created,
                "sent_at": sent,
            }
        )
        issued = {"letter_id": letter_id, "kind": kind, "version": 1, "language": language, "sha256": sha256}
        self.event(created, target, obj, "letter_issued", data={**issued, "verification_code": code})
        if sent is not None:
            self.event(sent, target, obj, "letter_sent", data={"letter_id": letter_id, "channel": "email"})

    def to_complainant(self, case: dict[str, Any]) -> tuple[str, str, str]:
        name = f"{case['complainant_first_name']} {case['complainant_last_name']}"
        address = f"{case['street']}\n{case['postal_code']} {case['city']}\n{case['country']}"
        return name, case["complainant_email"], address

    def case_letter(self, moment: datetime, kind: str, case: dict[str, Any], trigger: str, **kwargs: Any) -> None:
        by = kwargs.pop("by", None)
        signatory = (
            (by.name, by.capacity, by.contact) if by and kind != "acknowledgement" else self.world.intake_signatory
        )
        self.letter(
            moment,
            kind,
            "case",
            case,
            trigger,
            language=case["language"],
            recipient=self.to_complainant(case),
            signatory=signatory,
            by=by,
            parameters=kwargs or None,
        )

    def transition(
        self, moment: datetime, case: dict[str, Any], action: str, to_state: str, by: Person | None, **data: Any
    ) -> None:
        from_state = case["state"]
        case["state"] = to_state
        self.event(moment, "case", case, action, actor=by, from_state=from_state, to_state=to_state, data=data)

    def officer_at(self, moment: datetime) -> Person:
        """An officer at work then, and not leaving within half a year (the case stays theirs)."""
        staying = moment + timedelta(days=180)
        officers = self.world.officers
        active = [o for o in officers if o.begin <= moment and staying < o.end]
        active = active or [o for o in officers if o.begin <= moment < o.end] or officers
        return self.rng.choices(active, weights=[o.weight for o in active])[0]

    # The case.

    def run(self, number: int, reference: str, submitted: datetime) -> dict[str, Any]:
        case = self.intake(number, reference, submitted)
        self.handle(case, submitted)
        return case

    def intake(self, number: int, reference: str, submitted: datetime) -> dict[str, Any]:
        rng, world = self.rng, self.world
        place = rng.choices(world.places, weights=world.place_weights)[0]
        language = _pick(rng, cat.LANGUAGE_SHARES)
        channel = _pick(rng, cat.CHANNEL_SHARES)
        filer = _pick(rng, cat.FILER_SHARES)
        staff = self.officer_at(submitted) if channel != "web" else None
        postal_code, city = rng.choice(cat.CITIES[language])
        categories = rng.sample(list(cat.CATEGORY_SHARES), k=rng.choice((1, 1, 1, 2, 2, 3)))
        start = _local(submitted)
        case = {
            "id": world.next_id("case"),
            "reference": reference,
            "state": "submitted",
            "channel": channel,
            "language": language,
            "filer_role": filer,
            "complainant_first_name": rng.choice(cat.FIRST_NAMES),
            "complainant_last_name": rng.choice(cat.LAST_NAMES),
            "complainant_email": "" if channel == "post" and rng.random() < 0.5 else f"person{number}@mail.example",
            "complainant_phone": f"+32 47{rng.randrange(10)} {rng.randrange(100, 1000)} {rng.randrange(100, 1000)}",
            "street": f"{cat.STREETS[language]} {rng.randrange(1, 200)}",
            "postal_code": postal_code,
            "city": city,
            "country": "Belgium",
            "victim_name": f"{rng.choice(cat.FIRST_NAMES)} {rng.choice(cat.LAST_NAMES)}" if filer != "victim" else "",
            "service_id": place.service_id,
            "offence_categories": categories,
            "description": " ".join(rng.choices(cat.WORDS[language], k=25)),
            "police_report_number": f"BR.12.L5.{rng.randrange(10**6):06d}/{start.year}" if rng.random() < 0.4 else "",
            "declared_truthful": True,
            "consented_to_processing": True,
            "submitted_at": submitted,
            "entered_by_id": staff.pk if staff else None,
            "identity_recipient": "complainant" if rng.random() < 0.85 else "police",
            "identity_recipient_name": "",
            "identity_recipient_address": "",
            "assigned_to_id": None,
            "proposed_by_id": None,
            "proposal": "",
            "handling_started_on": start,
            "handling_paused_days": 0,
            "paused_since": None,
            "handling_due_on": world.due_date(start, settings.CASE_HANDLING_TARGET_DAYS),
            "information_due_on": None,
            "closed_on": None,
            "closure_reason": "",
        }
        if case["identity_recipient"] == "police":
            case["identity_recipient_name"] = f"Police zone {city}"
            case["identity_recipient_address"] = f"Rue de la Police 1\n{postal_code} {city}"
        self.batch.rows["case"].append(case)
        identifiers = self.identifiers(number, place, case["id"])
        case["_identifiers"] = identifiers
        for _ in range(rng.choice((1, 2, 2, 3))):
            self.batch.rows["message_time"].append(
                {"case_id": case["id"], "received_at": submitted - timedelta(days=rng.uniform(0.2, 20))}
            )
        case["_place"] = place
        self.event(
            submitted,
            "case",
            case,
            "submitted",
            actor=staff,
            label="" if staff else PUBLIC,
            to_state="submitted",
            data={"channel": channel, "identifiers": len(identifiers), "evidence": []},
        )
        self.case_letter(submitted, "acknowledgement", case, "acknowledgement", by=staff)
        return case

    def identifiers(self, number: int, place: Place, case_id: int) -> list[dict[str, Any]]:
        rng = self.rng
        rows = []
        for index in range(1 if rng.random() < 0.8 else 2):
            if place.organisation_kind == "operator" or (place.service_name == "WhatsApp" and rng.random() < 0.5):
                digits = f"{rng.randrange(70, 100)}{rng.randrange(10**6):06d}"
                value, normalised, kind = (
                    f"04{digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}",
                    f"+324{digits}",
                    "phone",
                )
            else:
                if rng.random() < cat.REPEAT_SHARE:
                    name = f"repeat_{rng.randrange(self.world.repeat_pool)}"
                else:
                    name = f"{rng.choice(cat.HANDLE_WORDS)}_{number}_{index}"
                value, kind = f"@{name}", "account_name"
                normalised = handle(platform_of_service(place.service_name), name)
            row = {"case_id": case_id, "kind": kind, "value": value, "normalised": normalised}
            self.batch.rows["identifier"].append(row)
            rows.append(row)
        return rows

    def assign(self, case: dict[str, Any], officer: Person, moment: datetime) -> None:
        case["assigned_to_id"] = officer.pk
        self.transition(moment, case, "assign", "in_assessment", officer, officer=officer.username)
        for codename in ("view_case", "change_case"):
            self.batch.rows["case_permission"].append(
                {
                    "permission_id": self.world.permissions[codename],
                    "user_id": officer.pk,
                    "content_object_id": case["id"],
                }
            )

    def handle(self, case: dict[str, Any], moment: datetime) -> None:
        rng = self.rng
        moment = self.later(moment, 0.8, 5)
        if moment > self.now:
            return
        officer = self.officer_at(moment)
        self.assign(case, officer, moment)
        outcome = _pick(rng, cat.OUTCOME_SHARES)
        if outcome == "lapsed" or rng.random() < cat.INFORMATION_REQUESTED:
            moment = self.information(case, officer, moment, lapses=outcome == "lapsed")
            if moment is None or outcome == "lapsed":
                return
        if outcome == "withdrawn":
            moment = self.later(moment, 2, 30)
            if moment <= self.now:
                case["closed_on"], case["information_due_on"] = _local(moment), None
                reason = cat.WITHDRAWAL_REASON
                self.transition(moment, case, "withdraw", "withdrawn", officer, reason=reason)
                self.case_letter(moment, "withdrawal", case, "final", by=officer, reason=reason)
            return
        if rng.random() < 0.8 or outcome == "established":
            proposal = "established" if outcome == "established" else "not_established"
        else:
            proposal = "inadmissible"
        moment = self.assess(case, officer, moment, proposal)
        if moment is None:
            return
        if proposal != "established":
            self.conclude(case, officer, moment)
            return
        self.disclose(case, officer, moment)

    def information(self, case: dict[str, Any], officer: Person, moment: datetime, *, lapses: bool) -> datetime | None:
        """A request for information, then its answer or its lapse. None when `now` comes first."""
        moment = self.later(moment, 1, 10)
        if moment > self.now:
            return None
        today = _local(moment)
        reply_by = self.world.due_date(today, settings.INFORMATION_REPLY_DAYS)
        request = {
            "id": self.world.next_id("information_request"),
            "case_id": case["id"],
            "requested_by_id": officer.pk,
            "requested_at": moment,
            "question": cat.QUESTION,
            "reply_by": reply_by,
            "answered_at": None,
            "answer": "",
            "lapsed_at": None,
        }
        self.batch.rows["information_request"].append(request)
        case["information_due_on"], case["paused_since"] = reply_by, today
        data = {"question": cat.QUESTION, "reply_by": reply_by.isoformat(), "request_id": request["id"]}
        self.transition(moment, case, "request_information", "awaiting_information", officer, **data)
        trigger = f"request-{request['id']}"
        parameters = {"information_request_id": request["id"]}
        self.case_letter(moment, "information_request", case, trigger, by=officer, **parameters)
        if lapses:
            moment = _sweep_time(reply_by + timedelta(days=1))
            if moment <= self.now:
                request["lapsed_at"] = moment
                case["information_due_on"], case["closed_on"], case["closure_reason"] = None, _local(moment), "lapsed"
                data = {"reply_by": reply_by.isoformat(), "request_id": request["id"]}
                self.transition(moment, case, "lapse", "closed", None, **data)
                self.case_letter(moment, "lapse", case, trigger, **parameters)
            return moment
        moment = self.later(moment, 1, max(1.5, (reply_by - today).days))
        if moment > self.now:
            return None
        request["answered_at"], request["answer"] = moment, cat.REPLY
        case["handling_paused_days"] += max((_local(moment) - today).days, 0)
        case["paused_since"] = case["information_due_on"] = None
        case["handling_due_on"] = self.world.due_date(
            case["handling_started_on"], settings.CASE_HANDLING_TARGET_DAYS + case["handling_paused_days"]
        )
        case["state"] = "in_assessment"
        self.event(
            moment,
            "case",
            case,
            "receive_information",
            label="complainant",
            from_state="awaiting_information",
            to_state="in_assessment",
            data={"request_id": request["id"], "channel": "link", "evidence": []},
        )
        return moment

    def assess(self, case: dict[str, Any], officer: Person, moment: datetime, proposal: str) -> datetime | None:
        """Proposal, perhaps sent back once, and its approval. None when `now` comes first."""
        reviewer = self.rng.choice(self.world.reviewers)
        sent_back = self.rng.random() < cat.SENT_BACK
        for version in (1, 2) if sent_back else (1,):
            moment = self.later(moment, 4, 30)
            if moment > self.now:
                return None
            answer = "yes" if proposal == "established" else "no"
            assessment = {
                "id": self.world.next_id("assessment"),
                "case_id": case["id"],
                "version": version,
                "proposed_by_id": officer.pk,
                "proposed_at": moment,
                "answers": {c: {"answer": answer, "reasoning": cat.REASONS[proposal]} for c in CRITERIA},
                "proposal": proposal,
                "reviewed_by_id": None,
                "reviewed_at": None,
                "review_outcome": "",
                "review_comment": "",
            }
            self.batch.rows["assessment"].append(assessment)
            case["proposed_by_id"], case["proposal"] = officer.pk, proposal
            data = {"version": version, "proposal": proposal}
            self.transition(moment, case, "propose_decision", "in_review", officer, **data)
            moment = self.later(moment, 0.5, 7)
            if moment > self.now:
                return None
            assessment["reviewed_by_id"], assessment["reviewed_at"] = reviewer.pk, moment
            if version == 1 and sent_back:
                assessment["review_outcome"], assessment["review_comment"] = "sent_back", cat.SEND_BACK_COMMENT
                case["proposed_by_id"], case["proposal"] = None, ""
                data = {"version": version, "comment": cat.SEND_BACK_COMMENT}
                self.transition(moment, case, "send_back", "in_assessment", reviewer, **data)
        assessment["review_outcome"] = "approved"
        target = "established" if proposal == "established" else "rejected"
        self.transition(moment, case, "approve", target, reviewer, version=assessment["version"], comment="")
        if target == "rejected":
            trigger = f"v{assessment['version']}"
            self.case_letter(moment, "decision", case, trigger, by=reviewer, assessment_id=assessment["id"])
        return moment

    def conclude(self, case: dict[str, Any], officer: Person, moment: datetime) -> None:
        moment = self.later(moment, 2, 25)
        if moment > self.now:
            return
        outcome = case["state"]
        case["closed_on"], case["closure_reason"] = _local(moment), "completed"
        self.transition(moment, case, "close", "closed", officer, outcome=outcome, note="")
        self.case_letter(moment, "closure", case, "final", by=officer, outcome=outcome, note="")

    def disclose(self, case: dict[str, Any], officer: Person, moment: datetime) -> None:
        """The order chain: an order to the platform, perhaps a follow-up to an operator."""
        place: Place = case["_place"]
        organisation = place
        kind = "number_subscriber" if place.organisation_kind == "operator" else "account_data"
        identifiers = [{"kind": row["kind"], "value": row["value"]} for row in case["_identifiers"]]
        follows = None
        number = 0
        while True:
            number += 1
            moment = self.later(moment, 1, 6)
            result = self.order(case, officer, moment, number, organisation, kind, identifiers, follows)
            if result is None:
                return
            outcome, moment, order, answer = result
            if outcome != "ip":
                break
            organisation = self.rng.choices(self.world.operators, weights=cat.OPERATOR_SHARES)[0]
            kind, follows = "ip_subscriber", order
            stamp = (moment - timedelta(days=self.rng.uniform(5, 20))).isoformat(timespec="seconds")
            ip = f"81.{self.rng.randrange(240, 256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
            identifiers = [
                {"kind": "ip_address", "value": ip, "port": self.rng.randrange(1024, 65536), "timestamp": stamp}
            ]
        if outcome == "identity":
            self.transition(moment, case, "record_identified", "identified", officer, order=order["reference"])
            trigger = f"answer-{answer['id']}"
            self.case_letter(moment, "identification", case, trigger, by=officer, answer_id=answer["id"])
        else:
            moment = self.later(moment, 1, 10)
            if moment > self.now:
                return
            self.transition(moment, case, "record_not_identified", "not_identified", officer, note="")
            self.case_letter(moment, "no_result", case, "final", by=officer, note="")
        self.conclude(case, officer, moment)

    def order(
        self,
        case: dict[str, Any],
        officer: Person,
        moment: datetime,
        number: int,
        place: Place,
        kind: str,
        identifiers: list[dict[str, Any]],
        follows: dict[str, Any] | None,
    ) -> tuple[str, datetime, dict[str, Any], dict[str, Any]] | None:
        """One order from draft to its accepted answer: (outcome, when, order, answer), or None
        when `now` comes first (the order stays where it is)."""
        rng, world = self.rng, self.world
        if moment > self.now:
            return None
        order = {
            "id": world.next_id("order"),
            "reference": f"{case['reference']}-D{number}",
            "case_id": case["id"],
            "organisation_id": place.organisation_id,
            "follows_id": follows["id"] if follows else None,
            "kind": kind,
            "identifiers": identifiers,
            "data_requested": ["subscriber"] if kind != "account_data" else ["names", "email", "phone", "ip_addresses"],
            "reasons": cat.ORDER_REASONS,
            "state": "draft",
            "drafted_by_id": officer.pk,
            "drafted_at": moment,
            "issued_by_id": None,
            "issued_at": None,
            "due_on": None,
            "reminder_on": None,
            "reminder_sent_at": None,
            "acknowledged_at": None,
            "extension_requested_until": None,
            "extension_reasons": "",
            "overdue_since": None,
            "grace_until": None,
            "escalated_at": None,
            "closed_at": None,
        }
        self.batch.rows["order"].append(order)
        data = {"case": case["reference"], "organisation": place.organisation_name, "joint_cases": []}
        data["follows"] = follows["reference"] if follows else ""
        self.event(moment, "order", order, "draft", actor=officer, to_state="draft", data=data)
        moment += timedelta(minutes=rng.uniform(5, 240))
        if moment > self.now:
            return None
        issued_on = _local(moment)
        due_on = world.due_date(issued_on, ORDER_DAYS[kind])
        reminder_on = max(world.reminder_date(due_on), issued_on)
        order.update(state="issued", issued_by_id=officer.pk, issued_at=moment, due_on=due_on, reminder_on=reminder_on)
        step = self.order_step(order, case)
        step(moment, "issue", "issued", officer, due_on=due_on.isoformat())
        if case["state"] == "established":
            self.transition(moment, case, "order_disclosure", "disclosure_pending", officer, order=order["reference"])
        group = world.liaison_groups[place.organisation_id]
        for codename in ("view_order", "answer_order"):
            self.batch.rows["order_permission"].append(
                {"permission_id": world.permissions[codename], "group_id": group, "content_object_id": order["id"]}
            )
        self.order_letter(moment, "disclosure_order", order, place, "issue", officer)
        liaison = world.liaisons[place.organisation_id]
        overdue = _sweep_time(due_on + timedelta(days=1))
        if rng.random() < cat.LATE_ANSWERS:
            answered = overdue + timedelta(days=rng.uniform(0.3, 6))
        else:
            answered = self.later(moment, 0.5, max(1.0, (due_on - issued_on).days))
        # What happens before the answer, in the order it happens.
        steps = [(_sweep_time(reminder_on), "reminder"), (overdue, "overdue")]
        if rng.random() < 0.9:
            steps.append((self.later(moment, 0.1, 3), "acknowledge"))
        for when, what in sorted(steps):
            if when >= answered or when > self.now:
                continue
            if what == "acknowledge":
                order["acknowledged_at"] = when
                step(when, "acknowledge", "acknowledged", liaison)
            elif what == "reminder":
                order["reminder_sent_at"] = when
                step(when, "reminder_sent", order["state"], None, due_on=due_on.isoformat())
                self.order_letter(when, "order_reminder", order, place, f"due-{due_on}", None)
            else:
                grace_until = world.due_date(_local(when), settings.FORMAL_NOTICE_GRACE_DAYS)
                order.update(overdue_since=_local(when), grace_until=grace_until)
                step(when, "mark_overdue", "overdue", None, due_on=due_on.isoformat())
                self.order_letter(when, "formal_notice", order, place, f"due-{due_on}", None)
        if answered > self.now:
            return None
        outcome = _pick(rng, cat.ANSWER_SHARES)
        via_ip = outcome == "identity" and kind == "account_data" and rng.random() < cat.IP_ANSWERS
        answer = {
            "id": world.next_id("answer"),
            "order_id": order["id"],
            "outcome": outcome,
            "identity_ciphertext": world.identity_ciphertext if outcome == "identity" else "",
            "names_holder": outcome == "identity" and not via_ip,
            "refusal_reasons": cat.REFUSAL_REASONS if outcome == "refusal" else "",
            "answered_by_id": liaison.pk,
            "answered_at": answered,
            "channel": "api" if rng.random() < 0.6 else "portal",
            "review": "",
            "reviewed_by_id": None,
            "reviewed_at": None,
            "review_reasons": "",
        }
        self.batch.rows["answer"].append(answer)
        step(answered, "answer", "answered", liaison, outcome=outcome)
        accepted = self.later(answered, 0.2, 5)
        if accepted > self.now:
            return None
        answer.update(review="accepted", reviewed_by_id=officer.pk, reviewed_at=accepted)
        order["closed_at"] = accepted
        step(accepted, "accept_answer", "fulfilled", officer, outcome=outcome, names_holder=answer["names_holder"])
        return ("ip" if via_ip else outcome), accepted, order, answer

    def order_step(self, order: dict[str, Any], case: dict[str, Any]) -> Callable[..., None]:
        def step(moment: datetime, action: str, to_state: str, by: Person | None, **data: Any) -> None:
            from_state = order["state"]
            order["state"] = to_state
            self.event(
                moment,
                "order",
                order,
                action,
                actor=by,
                from_state=from_state,
                to_state=to_state,
                data={"case": case["reference"], **data},
            )

        return step

    def order_letter(
        self, moment: datetime, kind: str, order: dict[str, Any], place: Place, trigger: str, by: Person | None
    ) -> None:
        signatory = (by.name, by.capacity, by.contact) if by else self.world.intake_signatory
        self.letter(
            moment,
            kind,
            "order",
            order,
            trigger,
            language=place.letter_language,
            recipient=(place.organisation_name, place.contact_email, place.legal_address),
            signatory=signatory,
            by=by,
        )
