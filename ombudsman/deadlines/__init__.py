"""Deadlines: the Belgian legal date rule, closure days, and the periodic sweep."""

from ombudsman.deadlines.calendar import legal_due_date

__all__ = ["legal_due_date"]
