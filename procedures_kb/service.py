"""The catalogue as the dialogue sees it: find a procedure, read its facts.

One ProcedureService per process, built by the entry point (the action
server builds it on first use), holding the engine, the session factory,
the in-memory search index and the most recently read procedures. The
catalogue changes only through imports; after one, restart the action
server (or call refresh()).
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import replace
from typing import List, Optional

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from procedures_kb import repository
from procedures_kb.models import Procedure
from procedures_kb.national_format import CODE_RE
from procedures_kb.resolve import (
    Answer,
    Decision,
    Question,
    asking_sentence,
    choose,
    decide,
    mentioned_codes,
    message_parts,
    needs_search,
    several,
    typed_codes,
)
from procedures_kb.search import SearchHit, SearchIndex
from storage.engine import make_engine, make_session_factory

logger = logging.getLogger(__name__)

# Hits a decision reads: the contenders and the choices to offer.
DECISION_HITS = 6
# Procedures read recently, kept with everything loaded (follow-up questions reuse them).
CACHE_SIZE = 256


class ProcedureService:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.sessions = make_session_factory(engine)
        self._index: Optional[SearchIndex] = None
        self._lock = threading.Lock()
        self._cache: "OrderedDict[str, Procedure]" = OrderedDict()
        self._cache_lock = threading.Lock()

    @classmethod
    def from_url(cls, database_url: str) -> "ProcedureService":
        return cls(make_engine(database_url, must_exist=True, pool_pre_ping=True))

    @property
    def index(self) -> SearchIndex:
        with self._lock:
            if self._index is None:
                with self.sessions() as session:
                    self._index = SearchIndex.from_session(session)
            return self._index

    def refresh(self) -> None:
        """Forget the index and cached procedures (after an import)."""
        with self._lock:
            self._index = None
        with self._cache_lock:
            self._cache.clear()

    def warm(self) -> None:
        """Build the search index now (about 2 s for the whole catalogue) rather than on the first question,
        which would run past the action server's reply time. An unreachable database is left for the first
        question to report (logged here, not raised)."""
        try:
            _ = self.index
        except SQLAlchemyError as exc:
            logger.warning("search index not built at start: %s", type(exc).__name__)

    def search(self, text: str, limit: int = 5) -> List[SearchHit]:
        return self.index.search(text, limit=limit)

    def get(self, code: str) -> Optional[Procedure]:
        code = (code or "").strip()
        if not CODE_RE.match(code):
            return None
        with self._cache_lock:
            if code in self._cache:
                self._cache.move_to_end(code)
                return self._cache[code]
        with self.sessions() as session:
            procedure = repository.get_procedure(session, code)
        if procedure is not None:
            with self._cache_lock:
                self._cache[code] = procedure
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return procedure

    def which_procedure(self, question: Question) -> Decision:
        """Which procedure the message means (see procedures_kb.resolve.decide).

        Looks up the codes the question mentions and searches the text only
        when no button code or known typed code already decides.
        Raises SQLAlchemyError when the catalogue database is unreachable.
        """
        known = {code for code in mentioned_codes(question) if self.get(code) is not None}
        if not needs_search(question, known):
            return decide(question, [], known)
        asking = asking_sentence(question.text)
        if asking is not None:  # a letter: the sentence that asks, when it names a procedure completely
            sentence = replace(question, text=asking)
            decision = decide(sentence, self.search(asking, limit=DECISION_HITS), known)
            if isinstance(decision, Answer) and decision.hit is not None and decision.hit.covered:
                return decision
        return decide(question, self.search(question.text, limit=DECISION_HITS), known)

    def which_procedures(self, question: Question) -> List[Decision]:
        """One decision, or one Answer per procedure when the message names several one by one
        ("mất cả căn cước lẫn bằng lái xe": both). Raises SQLAlchemyError like `which_procedure`."""
        whole = self.which_procedure(question)
        if question.chosen_code is not None or typed_codes(question.text):
            return [whole]
        parts = message_parts(question.text)
        if len(parts) < 2:
            return [whole]
        decisions = [choose(self.search(part, limit=DECISION_HITS)) for part in parts[:4]]
        return list(several(whole, decisions)) or [whole]
