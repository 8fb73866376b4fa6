"""Alembic environment: the URL comes from the caller or DATABASE_URL."""
from alembic import context

from procedures_kb.config import Settings
from procedures_kb.db import make_engine
from procedures_kb.models import Base
import actions.dossiers.models  # noqa: F401  (registers the dossier tables on Base)
import officer_desk.models  # noqa: F401  (registers the desk tables on Base)
import bot.channels.zalo.store  # noqa: F401  (registers the channel tables on Base)

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
