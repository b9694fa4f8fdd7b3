"""Load data for benchmarks: a national archive of cases, generated fast with PostgreSQL's COPY.

See `generate_load_data` (the management command of the same name wraps it)."""

from ombudsman.core.loadgen.writer import LoadReport, generate_load_data

__all__ = ["LoadReport", "generate_load_data"]
