"""Alembic migrations of the one database every feature shares (revision ids never change)."""
