"""The storage core: the declarative Base, utcnow, engine and session factories, migrations runner.

Every feature's tables (catalogue, dossiers, officers' desk, channels) are
declared on `storage.base.Base`; the schema itself is owned by the Alembic
migrations in the top-level `migrations/` folder. Nothing here imports a
feature package.
"""
