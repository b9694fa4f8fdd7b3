from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ombudsman.privacy.access import SubjectQuery, export_subject_data, may_answer_access_requests
from ombudsman.privacy.documents import export_json, export_pdf
from ombudsman.privacy.models import DataSubject

COMMAND_LINE = "manage.py subject_access_export"


class Command(BaseCommand):
    help = (
        "Export what the office holds about a complainant or a holder named in an answer (GDPR art. 15): "
        "the data, its recipients and each access, without the other party's identity."
    )

    def add_arguments(self, parser):
        parser.add_argument("subject", choices=DataSubject.values, help="complainant or holder")
        parser.add_argument("--name", default="", help="first and last name")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--format", choices=["json", "pdf"], default="json")
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument("--by", help="user name of the reviewer or administrator answering the request")

    def handle(self, *args, **options):
        if not (options["name"] or options["email"]):
            raise CommandError("give --name or --email (every detail given must match)")
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None or not may_answer_access_requests(by):
                raise CommandError(f"{options['by']} is not a reviewer or administrator")
        query = SubjectQuery(
            subject=options["subject"], name=options["name"], email=options["email"], phone=options["phone"]
        )
        report = export_subject_data(
            query=query, output=options["format"], by=by, actor_label="" if by else COMMAND_LINE
        )
        body = export_json(report) if options["format"] == "json" else export_pdf(report)
        Path(options["output"]).write_bytes(body)
        found = len(report.get("cases") or report.get("answers") or [])
        self.stdout.write(
            f"{found} {'cases' if options['subject'] == 'complainant' else 'answers'}: {options['output']}"
        )
