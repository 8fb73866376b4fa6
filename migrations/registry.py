"""Every feature's models, imported so that their tables are on `storage.base.Base.metadata`.

The one place that knows all features' tables: Alembic's env.py and the
tests that compare models with the migrated schema import it.
"""
from __future__ import annotations

import bot.channels.zalo.models  # noqa: F401  (channel_events, channel_tokens)
import dossiers.models  # noqa: F401  (dossiers, dossier_events, dossier_lookup_events)
import officer_desk.models  # noqa: F401  (handoff_tickets, handoff_messages, answer_feedback)
import procedures_kb.models  # noqa: F401  (the catalogue)
import storage.outbox  # noqa: F401  (outbox)
from storage.base import Base

metadata = Base.metadata
