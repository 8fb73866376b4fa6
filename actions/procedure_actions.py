"""Actions that answer procedure questions from the catalogue."""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import answers
from actions.runtime import procedure_service

logger = logging.getLogger(__name__)

# A search score this high means the message clearly names a procedure.
SWITCH_SCORE = 14.0

SERVICE_DOWN = (
    "Xin lỗi, hệ thống tra cứu thủ tục đang bận. Bạn vui lòng thử lại sau ít phút "
    "hoặc liên hệ bộ phận một cửa nơi nộp hồ sơ."
)


class _ProcedureAnswer:
    """Find the procedure the user means (or the one under discussion) and answer.

    A mixin rather than an Action subclass, so that the SDK registers only
    the concrete actions.
    """

    render: Callable = staticmethod(answers.overview_answer)

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        latest = tracker.latest_message or {}
        text = latest.get("text") or ""
        kinds = {e.get("entity") for e in latest.get("entities") or []}
        named = "procedure" in kinds
        if not named and kinds & {"dossier_code", "phone_last_digits"}:
            # A dossier code or verification digits belong to the dossier look-up.
            dispatcher.utter_message(response="utter_dossier_status_unavailable")
            return []
        current = tracker.get_slot("procedure_code")
        try:
            service = procedure_service()
            resolution = service.resolve(text)
            procedure, hit = resolution.procedure, None
            # A follow-up ("còn lệ phí thì sao?") keeps the procedure under discussion,
            # unless the message names another one or the search is sure of one.
            keep_current = current and not named and (
                procedure is None or resolution.hits[0].score < SWITCH_SCORE
            )
            if keep_current:
                procedure = service.get(current)
            elif procedure is not None:
                hit = resolution.hits[0]
        except SQLAlchemyError as exc:
            logger.error("catalogue unavailable: %s", type(exc).__name__)
            dispatcher.utter_message(text=SERVICE_DOWN)
            return []
        if procedure is None:
            dispatcher.utter_message(text=answers.not_found_answer(resolution.hits))
            return []
        dispatcher.utter_message(text=self.render_for(tracker)(procedure, hit))
        return [SlotSet("procedure_code", procedure.code)]

    def render_for(self, tracker: Tracker) -> Callable:
        return self.render


class ActionAnswerDocuments(_ProcedureAnswer, Action):
    render = staticmethod(answers.documents_answer)

    def name(self) -> Text:
        return "action_answer_documents"


class ActionAnswerOverview(_ProcedureAnswer, Action):
    render = staticmethod(answers.overview_answer)

    def name(self) -> Text:
        return "action_answer_overview"


class ActionAnswerQuestion(_ProcedureAnswer, Action):
    """Answers whichever question intent the message had (fee, time, where, ...)."""

    def name(self) -> Text:
        return "action_answer_question"

    def render_for(self, tracker: Tracker) -> Callable:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        return answers.RENDERERS.get(intent, answers.overview_answer)
