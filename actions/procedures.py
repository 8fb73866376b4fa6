"""Actions that answer procedure questions from the catalogue.

The flow of every answer: `QuestionAction.run` (a dossier look-up goes on
first) → `ProcedureAnswer.answer`: the procedure service decides which
procedure the message means (procedures_kb.resolve) → the decision is
rendered (actions.answers texts, actions.buttons) → slot events.
Fixed texts: bot/domain/procedures.yml.
"""
from __future__ import annotations

import logging
from typing import Callable, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import answers, buttons
from actions.base import Events, QuestionAction, entity, entity_kinds, latest_intent, latest_text
from actions.handoff import failed, succeeded
from actions.runtime import procedure_service
from procedures_kb.models import Procedure
from procedures_kb.resolve import Answer, Ask, NotFound, Question
from procedures_kb.search import SearchHit

logger = logging.getLogger(__name__)

ANSWER_INTENTS = set(answers.RENDERERS)


def question_of(tracker: Tracker) -> Question:
    """What the latest message says about procedures, for procedures_kb.resolve.decide."""
    return Question(
        text=latest_text(tracker),
        current_code=tracker.get_slot("procedure_code"),
        chosen_code=entity(tracker, "procedure_code"),
        names_procedure="procedure" in entity_kinds(tracker),
    )


def button_intent(intent: Optional[str]) -> str:
    """The intent a choice button repeats: the question that was asked."""
    return intent if intent in ANSWER_INTENTS and intent != "inform" else "ask_procedure"


class ProcedureAnswer(QuestionAction):
    """Find the procedure the user means (or the one under discussion) and answer.

    Abstract: the concrete actions below give `name` and the renderer.
    """

    render: Callable = staticmethod(answers.overview_answer)

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        intent = button_intent(latest_intent(tracker))
        service = procedure_service()
        try:
            decision = service.which_procedure(question_of(tracker))
            procedure = service.get(decision.code) if isinstance(decision, Answer) else None
        except SQLAlchemyError as exc:
            logger.error("catalogue unavailable: %s", type(exc).__name__)
            dispatcher.utter_message(response="utter_catalogue_unavailable")
            return []
        if procedure is not None:
            return self.reply(dispatcher, tracker, procedure, decision.hit, intent, decision.alternatives)
        if isinstance(decision, Answer):  # the search index names a procedure the database no longer has
            decision = NotFound(list(decision.alternatives))
        if isinstance(decision, Ask):
            options = [buttons.button(hit.name, intent, procedure_code=hit.code) for hit in decision.choices]
            dispatcher.utter_message(response="utter_ask_which_procedure", buttons=buttons.limit(options))
            return [SlotSet("pending_offer", None)]
        if decision.unknown_code is not None:
            dispatcher.utter_message(text=answers.unknown_code_answer(decision.unknown_code))
        else:
            suggestions = [buttons.button(hit.name, intent, procedure_code=hit.code) for hit in decision.suggestions]
            dispatcher.utter_message(text=answers.not_found_answer(decision.suggestions), buttons=suggestions)
        return failed(dispatcher, tracker)

    def reply(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        procedure: Procedure,
        hit: Optional[SearchHit],
        intent: str,
        others: List[SearchHit],
    ) -> Events:
        """The answer itself, with close procedures, follow-up questions and the feedback pair as buttons."""
        render = self.render_for(tracker)
        extra: List[Dict[str, str]] = []
        if render is answers.documents_answer:
            view = answers.documents_view(
                procedure, hit, case=_entity_number(tracker, "document_case"), page=_entity_number(tracker, "document_page")
            )
            text = view.text
            extra += buttons.document_buttons(procedure, view)
        else:
            text = render(procedure, hit)
        if hit is not None:
            extra += [
                buttons.button(f"Thực hiện tại {(v.levels[0] if v.levels else 'cấp khác').lower()}",
                               intent, procedure_code=v.code)
                for v in hit.alternatives
            ]
        extra += [buttons.button(other.name, intent, procedure_code=other.code) for other in others]
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


def _entity_number(tracker: Tracker, name: str) -> Optional[int]:
    value = entity(tracker, name)
    try:
        return int(value[:6]) if value is not None else None
    except ValueError:
        return None


class ActionAnswerDocuments(ProcedureAnswer):
    render = staticmethod(answers.documents_answer)

    def name(self) -> Text:
        return "action_answer_documents"


class ActionAnswerOverview(ProcedureAnswer):
    render = staticmethod(answers.overview_answer)

    def name(self) -> Text:
        return "action_answer_overview"


class ActionAnswerQuestion(ProcedureAnswer):
    """Answers whichever question intent the message had (fee, time, where, ...)."""

    def name(self) -> Text:
        return "action_answer_question"

    def render_for(self, tracker: Tracker) -> Callable:
        return answers.RENDERERS.get(latest_intent(tracker), answers.overview_answer)
