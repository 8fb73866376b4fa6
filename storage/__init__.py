"""The storage core: the declarative Base, utcnow, engine and session factories, migrations runner,
and the outbox (messages to send after commit, shared by the desk and the channels).

Every feature's tables (catalogue, dossiers, officers' desk, channels) are
declared on `storage.base.Base`; the schema itself is owned by the Alembic
migrations in the top-level `migrations/` folder. Nothing here imports a
feature package.
"""
