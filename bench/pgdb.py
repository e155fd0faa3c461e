"""Shared by the bench scripts: their own PostgreSQL database, created when missing."""

import sys


def ensure_postgres_database(url: str) -> None:
    """Create the database named at the end of `url` (postgres://…/name) if it does not exist."""
    import psycopg

    if not url.startswith("postgres"):
        sys.exit("O benchmark precisa de PostgreSQL: defina DATABASE_URL=postgres://…")
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
