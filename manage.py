#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")
    # Writing or checking migrations reads only the models: it needs no production secrets, so it
    # runs with the development settings unless told otherwise. Every other command, `migrate`
    # included, still refuses to start in production without them.
    if sys.argv[1:2] == ["makemigrations"]:
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
