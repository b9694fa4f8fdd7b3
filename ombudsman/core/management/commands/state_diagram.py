from pathlib import Path

from django.core.management.base import BaseCommand

from ombudsman.core.diagrams import state_diagram_document


class Command(BaseCommand):
    help = "Write the Mermaid state diagram of a model's state machine (e.g. cases.Case)."

    def add_arguments(self, parser):
        parser.add_argument("model", help="app_label.Model")
        parser.add_argument("--output", help="Markdown file to write; standard output when omitted")

    def handle(self, *args, **options):
        text = state_diagram_document(options["model"], options["output"] or "-")
        if options["output"]:
            Path(options["output"]).write_text(text)
        else:
            self.stdout.write(text)
