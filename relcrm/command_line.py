"""manage.py's entry point: Django's command line, with a plain message instead of a
traceback when a command meets a database that is unreachable or not migrated yet."""

from __future__ import annotations

import sys

from django.core.management import execute_from_command_line
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections


def migrations_pending(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The migrations not applied to the database yet, as `app.name`, in the order they run."""
    # Imported here: only a failing command needs the migration machinery.
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[alias]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def database_problem(error: DatabaseError) -> str | None:
    """What to tell the person at the terminal about `error`, or None if it is not about the
    state of the database as a whole (then it is a bug, and its traceback is wanted)."""
    try:
        pending = migrations_pending()
    except DatabaseError as unreachable:
        return (
            f"relcrm cannot use its database: {str(unreachable).strip()}\n"
            "Check DATABASE_URL and that the database server is running."
        )
    if not pending:
        return None
    return (
        f"The database is not migrated: {len(pending)} migration(s) are not applied "
        f"(the first is {pending[0]}).\n"
        "Run `python manage.py migrate` first."
    )


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv if argv is None else argv
    try:
        execute_from_command_line(argv)
    except DatabaseError as error:
        # `migrate` itself, and `--traceback`, keep Django's own reporting.
        if "migrate" in argv[1:2] or "--traceback" in argv:
            raise
        message = database_problem(error)
        if message is None:
            raise
        sys.stderr.write(message + "\n")
        sys.exit(1)
