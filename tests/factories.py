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

from cases.models import Case, Channel, FilerRole, IdentifierKind, OffenceCategory
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


class CaseFactory(factory.Factory):
    """A case that was really submitted through intake (state `submitted`)."""

    class Meta:
        model = Case

    complaint = factory.SubFactory(ComplaintFactory)
    channel = Channel.WEB
    entered_by = None

    @classmethod
    def _create(cls, model_class, complaint, channel, entered_by):
        return submit_complaint(complaint=complaint, channel=channel, entered_by=entered_by)

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
