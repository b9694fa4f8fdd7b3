"""A closed case that went the whole way: evidence, an order answered with the holder's
identity, the identification letter, closure; and the dates its retention periods end."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from cases.evidence import check_evidence_files
from cases.models import Case, CaseState, Proposal
from cases.services import close_case
from tests.factories import IDENTITY, CaseFactory, ComplaintFactory, make_order, officer, png_bytes, upload

COMPLAINANT = {
    "first_name": "Emma",
    "last_name": "Claes",
    "email": "emma.claes@example.org",
    "phone": "+32470000000",
    "street": "Wetstraat 16",
}
# What the complainant's data may never be found in once the case is pseudonymised.
COMPLAINANT_TRACES = ["Emma", "Claes", "emma.claes@example.org", "+32470000000", "Wetstraat"]
HOLDER_TRACES = [IDENTITY["holder_name"], IDENTITY["email"], IDENTITY["phone"], "81.82.83.84"]


def closed_identified_case(**complaint) -> tuple[Case, object]:
    """Run inside django_capture_on_commit_callbacks(execute=True), so the letters are rendered."""
    evidence = check_evidence_files([upload("emma-claes-screenshot.png", png_bytes())])
    case = CaseFactory(
        complaint=ComplaintFactory(**{**COMPLAINANT, **complaint}, evidence=evidence),
        state=CaseState.ESTABLISHED,
        proposal=Proposal.ESTABLISHED,
        officer=officer(first_name="Olivia", last_name="Vermeulen"),
    )
    order, _liaison = make_order("fulfilled", case=case)
    close_case(case_id=case.pk, by=case.assigned_to)
    return Case.objects.get(pk=case.pk), order


def last_day(case: Case, years: int):
    """The last day the data of `case` is kept under a period of `years`."""
    return case.closed_on + relativedelta(years=years)
