"""Actions that answer procedure questions from the catalogue."""
from __future__ import annotations

import logging
import re
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import answers, buttons, choices
from actions.dossier_actions import dossier_turn, wants_dossier_turn
from actions.conversation import failed, latest_intent, succeeded
from actions.runtime import procedure_service
from procedures_kb.models import Procedure
from procedures_kb.search import SearchHit

logger = logging.getLogger(__name__)

# A search score this high means the message clearly names a procedure.
SWITCH_SCORE = 14.0

SERVICE_DOWN = (
    "Xin lỗi, hệ thống tra cứu thủ tục đang bận. Bạn vui lòng thử lại sau ít phút "
    "hoặc liên hệ bộ phận một cửa nơi nộp hồ sơ."
)
ANSWER_INTENTS = set(answers.RENDERERS)
# A national procedure code typed in the message ("thủ tục 1.004873").
PROCEDURE_CODE_RE = re.compile(r"(?<![\d.])([1-3]\.\d{6})(?![\d.])")


def _button_intent(intent: Optional[str]) -> str:
    """The intent a choice button repeats: the question that was asked."""
    return intent if intent in ANSWER_INTENTS and intent != "inform" else "ask_procedure"


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
        intent = _button_intent(latest_intent(tracker))
        kinds = {e.get("entity") for e in latest.get("entities") or []}
        if not kinds & {"procedure", "procedure_code"} and wants_dossier_turn(tracker):
            # A dossier code, or the digits / code the assistant asked for, belong to the look-up.
            return dossier_turn(dispatcher, tracker)
        chosen_code = next(tracker.get_latest_entity_values("procedure_code"), None)
        try:
            if chosen_code is not None:
                return self._answer_code(dispatcher, tracker, str(chosen_code), intent)
            return self._answer_text(dispatcher, tracker, text, intent, named="procedure" in kinds)
        except SQLAlchemyError as exc:
            logger.error("catalogue unavailable: %s", type(exc).__name__)
            dispatcher.utter_message(text=SERVICE_DOWN)
            return []

    # --- the three ways to a procedure --------------------------------------
    def _answer_code(self, dispatcher, tracker, code: str, intent: str) -> List[Dict[Text, Any]]:
        """A button tap: the payload carries the code."""
        procedure = procedure_service().get(code)
        if procedure is None:
            dispatcher.utter_message(text=answers.unknown_code_answer(code))
            return failed(dispatcher, tracker)
        return self._answer(dispatcher, tracker, procedure, None, intent, [])

    def _answer_text(self, dispatcher, tracker, text: str, intent: str, named: bool) -> List[Dict[Text, Any]]:
        service = procedure_service()
        for code in PROCEDURE_CODE_RE.findall(text[:2000]):
            procedure = service.get(code)
            if procedure is not None:
                return self._answer(dispatcher, tracker, procedure, None, intent, [])
        hits = service.search(text, limit=6)
        current = tracker.get_slot("procedure_code")
        # A follow-up ("còn lệ phí thì sao?") keeps the procedure under discussion,
        # unless the message names another one or the search is sure of one.
        if current and not named and (not hits or hits[0].score < SWITCH_SCORE):
            procedure = service.get(current)
            if procedure is not None:
                return self._answer(dispatcher, tracker, procedure, None, intent, [])
        choice = choices.choose(hits)
        if choice.kind == choices.ANSWER:
            procedure = service.get(choice.hit.code)
            if procedure is not None:
                return self._answer(dispatcher, tracker, procedure, choice.hit, intent, choice.others)
        if choice.kind == choices.ASK:
            options = [
                buttons.button(_option_label(hit), intent, procedure_code=hit.code) for hit in choice.others
            ]
            dispatcher.utter_message(text=answers.ask_which_answer(), buttons=buttons.limit(options))
            return [SlotSet("pending_offer", None)]
        suggestions = [buttons.button(_option_label(hit), intent, procedure_code=hit.code) for hit in choice.others]
        dispatcher.utter_message(text=answers.not_found_answer(choice.others), buttons=suggestions)
        return failed(dispatcher, tracker)

    # --- the answer itself ---------------------------------------------------
    def _answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        procedure: Procedure,
        hit: Optional[SearchHit],
        intent: str,
        others: List[SearchHit],
    ) -> List[Dict[Text, Any]]:
        render = self.render_for(tracker)
        extra: List[Dict[str, str]] = []
        if render is answers.documents_answer:
            view = answers.documents_view(
                procedure, hit, case=_entity_number(tracker, "document_case"), page=_entity_number(tracker, "document_page")
            )
            text = view.text
            if view.page < view.pages:
                extra.append(buttons.button(
                    f"Xem tiếp giấy tờ (trang {view.page + 1}/{view.pages})", "ask_documents",
                    procedure_code=procedure.code, document_case=str(view.case), document_page=str(view.page + 1),
                ))
            cases = answers.document_cases(procedure)
            extra += [
                buttons.button(
                    f"Trường hợp {number}: {answers.shorten_text(cases[number - 1].title or '', 45)}",
                    "ask_documents", procedure_code=procedure.code, document_case=str(number),
                )
                for number in view.other_cases
            ]
        else:
            text = render(procedure, hit)
        if hit is not None:
            extra += [
                buttons.button(f"Thực hiện tại {(v.levels[0] if v.levels else 'cấp khác').lower()}",
                               intent, procedure_code=v.code)
                for v in hit.alternatives
            ]
        extra += [buttons.button(_option_label(other), intent, procedure_code=other.code) for other in others]
        # Close procedures, cases and levels first, then the next questions people ask.
        extra += [
            buttons.button(label, follow_up, procedure_code=procedure.code)
            for follow_up, label in buttons.FOLLOW_UPS.get(intent, buttons.DEFAULT_FOLLOW_UPS)
        ]
        offered = buttons.limit(extra[:3] + buttons.feedback_buttons(), keep_last=2)
        dispatcher.utter_message(text=text, buttons=offered)
        return [SlotSet("procedure_code", procedure.code)] + succeeded()

    def render_for(self, tracker: Tracker) -> Callable:
        return self.render


def _option_label(hit: SearchHit) -> str:
    return hit.name


def _entity_number(tracker: Tracker, entity: str) -> Optional[int]:
    value = next(tracker.get_latest_entity_values(entity), None)
    try:
        return int(str(value)[:6]) if value is not None else None
    except ValueError:
        return None


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
        return answers.RENDERERS.get(latest_intent(tracker), answers.overview_answer)
