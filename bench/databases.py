"""Fresh, throw-away databases for one benchmark run, one per database engine."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

# Where the PostgreSQL server is; the user must be allowed to create databases.
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
ENGINES = ("SQLite", "PostgreSQL")


class DatabaseUnavailable(Exception):
    """The engine cannot be reached here; the benchmark reports that instead of a figure."""


@contextmanager
def temporary_database(engine: str) -> Iterator[str]:
    """A DATABASE_URL naming an empty database that is removed afterwards."""
    if engine == "SQLite":
        with tempfile.TemporaryDirectory(prefix="breachclock-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    name = f"breachclock_bench_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        raise DatabaseUnavailable(
            f"PostgreSQL at {_safe(POSTGRES_ADMIN_URL)} cannot be reached: {_one_line(error)}"
        ) from error
    with admin:
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.Error as error:
            raise DatabaseUnavailable(
                f"cannot create a database on PostgreSQL: {_one_line(error)}"
            ) from error
        try:
            yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        finally:
            # FORCE: a benchmark that failed half-way may leave its connection open.
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _safe(url: str) -> str:
    """The URL without its password, for a message that ends up in docs/BENCHMARKS.md."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':')[0]}{at}{host}" if at else url


def _one_line(error: Exception) -> str:
    """The message fits in a cell of the Markdown table."""
    return " ".join(str(error).split()).replace("|", "/")
