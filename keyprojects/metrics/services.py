"""Upkeep the rates depend on."""

from django.db import connection

# Enough sampled rows per index for the planner to rank indexes, cheap even on a million reports.
SQLITE_ANALYSIS_LIMIT = 1000


def planner_statistics_refresh() -> None:
    """Refresh the database's query-planner statistics (ANALYZE) after bulk loads and daily.

    Without statistics SQLite checks "is there a newer accepted version of this report" through the
    (status, reviewed_at) index instead of (project, month, version), which makes the rates quadratic
    in the number of reports (seconds at a few thousand reports instead of milliseconds). PostgreSQL's
    autovacuum keeps statistics itself, but a bulk load outruns it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
