"""Alembic migrations of the registry schema, run by ``tumbuh db upgrade``."""
