"""The assessment of a case against the criteria (four eyes), and requests for information."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    """The criteria of DESIGN.md §4; each is answered and reasoned in every assessment."""

    STANDING = "standing", _("The complainant is the victim or acts for them")
    PRECISE_FACTS = "precise_facts", _("The facts are recent and precise (dates, times, messages)")
    SERVICE_IN_SCOPE = "service_in_scope", _("The service is in scope")
    PERPETRATOR_UNKNOWN = "perpetrator_unknown", _("The perpetrator is unknown to the victim")
    HARASSMENT = (
        "harassment",
        _(
            "The conduct is harassment (threats, intimidation, stalking, sexual extortion, repeated insults) "
            "and not protected expression (opinion, satire, public debate)"
        ),
    )
    NECESSARY = "necessary", _("Disclosure is necessary and proportionate")


# Without these, the complaint cannot be examined on its merits.
ADMISSIBILITY_CRITERIA = (Criterion.STANDING, Criterion.PRECISE_FACTS, Criterion.SERVICE_IN_SCOPE)


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNCLEAR = "unclear", _("Unclear")


class Proposal(models.TextChoices):
    ESTABLISHED = "established", _("Established")
    NOT_ESTABLISHED = "not_established", _("Not established")
    INADMISSIBLE = "inadmissible", _("Inadmissible")


class ReviewOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back")


def check_assessment(answers: dict[str, dict[str, str]], proposal: str) -> None:
    """Every criterion answered and reasoned, and a proposal the answers support."""
    errors = []
    for criterion in Criterion:
        entry = answers.get(criterion.value) or {}
        if entry.get("answer") not in Answer.values:
            errors.append(_("Answer the criterion “%(criterion)s”.") % {"criterion": criterion.label})
        if not (entry.get("reasoning") or "").strip():
            errors.append(_("Give the reasons for the criterion “%(criterion)s”.") % {"criterion": criterion.label})
    if errors:
        raise ValidationError(errors)
    all_yes = all(answers[c.value]["answer"] == Answer.YES for c in Criterion)
    admissible = all(answers[c.value]["answer"] == Answer.YES for c in ADMISSIBILITY_CRITERIA)
    if proposal == Proposal.ESTABLISHED and not all_yes:
        raise ValidationError(_("A complaint is established only when every criterion is met."))
    if proposal == Proposal.NOT_ESTABLISHED and all_yes:
        raise ValidationError(_("Every criterion is met: say which one is not, or propose “established”."))
    if proposal == Proposal.INADMISSIBLE and admissible:
        raise ValidationError(
            _("A complaint is inadmissible only when standing, precise facts or the service's scope is not met.")
        )


class Assessment(models.Model):
    """One version of the assessment of a case: the officer's proposal and its review.

    Every proposal is a new version; a version is reviewed once and never rewritten."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    version = models.PositiveIntegerField(_("version"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    answers = models.JSONField(_("answers"))
    proposal = models.CharField(_("proposal"), max_length=20, choices=Proposal.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_outcome = models.CharField(_("review"), max_length=10, choices=ReviewOutcome.choices, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["case", "version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="unique_assessment_version")]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.case} v{self.version} {self.proposal}"

    def record_review(self, *, reviewer: Any, outcome: str, comment: str) -> None:
        if self.review_outcome:
            raise ValidationError("This version of the assessment was already reviewed.")
        self.reviewed_by = reviewer
        self.reviewed_at = timezone.now()
        self.review_outcome = outcome
        self.review_comment = comment

    def criteria(self) -> list[dict[str, Any]]:
        """The answers in the order of the criteria, with their labels, for screens and letters."""
        labels = dict(Answer.choices)
        return [
            {
                "criterion": criterion.label,
                "answer": labels.get(self.answers.get(criterion.value, {}).get("answer"), ""),
                "reasoning": self.answers.get(criterion.value, {}).get("reasoning", ""),
            }
            for criterion in Criterion
        ]


class InformationRequest(models.Model):
    """A question to the complainant, answered through a signed link or lapsing at its date."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="information_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    question = models.TextField(_("what is missing"))
    reply_by = models.DateField(_("reply by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    lapsed_at = models.DateTimeField(_("lapsed"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")

    def __str__(self) -> str:
        return f"{self.case} {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.lapsed_at is None
