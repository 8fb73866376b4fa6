"""Actions that answer procedure questions from the catalogue.

The flow of every answer: `QuestionAction.run` (a dossier look-up goes on
first) → `ProcedureAnswer.answer`: the procedure service decides which
procedure the message means (procedures_kb.resolve) → the decision is
rendered (actions.answers texts, actions.buttons) → slot events.
Fixed texts: bot/domain/procedures.yml.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import answers, buttons, dossiers, payloads
from actions.base import Events, QuestionAction, entity, entity_kinds, latest_intent, latest_text
from actions.handoff import OFFER_HANDOFF, failed, succeeded
from actions.office import record_complaint
from actions.runtime import desk_settings, desk_store, procedure_service
from actions.threaded import ThreadedAction
from procedures_kb.digest import short_title
from procedures_kb.models import Procedure
from procedures_kb.resolve import Answer, Ask, NotFound, Question
from procedures_kb.search import SearchHit
from vietnamese import question_parts
from vietnamese.folding import fold

logger = logging.getLogger(__name__)

ANSWER_INTENTS = set(answers.RENDERERS)
# A message asking several questions about one procedure gets at most this many answers.
MAX_PARTS = 3


def question_of(tracker: Tracker) -> Question:
    """What the latest message says about procedures, for procedures_kb.resolve.decide."""
    return Question(
        text=latest_text(tracker),
        current_code=payloads.slot_text(tracker, "procedure_code"),
        chosen_code=entity(tracker, "procedure_code"),
        names_procedure="procedure" in entity_kinds(tracker),
    )


def button_intent(intent: Optional[str]) -> str:
    """The intent a choice button repeats: the question that was asked."""
    return intent if intent in ANSWER_INTENTS and intent != "inform" else "ask_procedure"


class ProcedureAnswer(QuestionAction):
    """Find the procedure the user means (or the one under discussion) and answer.

    Abstract: the concrete actions below give `name` and the kind of question.
    """

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        intent = button_intent(latest_intent(tracker))
        service = procedure_service()
        try:
            decisions = service.which_procedures(question_of(tracker))
            decision = decisions[-1]
            procedure = service.get(decision.code) if isinstance(decision, Answer) else None
            # A message naming two procedures ("mất cả căn cước lẫn bằng lái"): the first answered too.
            earlier = [(service.get(d.code), d) for d in decisions[:-1]]
        except SQLAlchemyError as exc:
            logger.error("catalogue unavailable: %s", type(exc).__name__)
            dispatcher.utter_message(response="utter_catalogue_unavailable")
            return []
        if procedure is not None:
            dossiers.supplement_reply(dispatcher, tracker)  # "cần bổ sung gì" after a dossier waiting for it
            text = latest_text(tracker)
            complained = not text.startswith("/") and question_parts.complains(text)
            if complained:
                record_complaint(tracker)
            for other, other_decision in earlier:
                if other is not None:
                    ActionAnswerQuestion().reply(dispatcher, tracker, other, other_decision.hit,
                                                 self.intent_for(tracker, intent), [], view={}, with_buttons=False)
            for part in self.other_parts(tracker, text, intent):  # "... cần giấy tờ gì, bao lâu thì có"
                ActionAnswerQuestion().reply(dispatcher, tracker, procedure, decision.hit, part, [], view={},
                                             with_buttons=False)
            events = self.reply(dispatcher, tracker, procedure, decision.hit, intent, decision.alternatives)
            if complained:
                dispatcher.utter_message(response="utter_complain_noted_in_question", hotline=desk_settings().hotline)
            return events
        if isinstance(decision, Answer):  # the search index names a procedure the database no longer has
            decision = NotFound(list(decision.alternatives))
        if isinstance(decision, Ask):
            options = [buttons.button(hit.name, intent, procedure_code=hit.code) for hit in decision.choices]
            options = buttons.limit(options + [buttons.none_of_these_button()], keep_last=1)
            dispatcher.utter_message(response="utter_ask_which_procedure", buttons=options)
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
        view: Optional[Dict[str, Any]] = None,
        with_buttons: bool = True,
    ) -> Events:
        """The answer itself, with its own buttons (next page, other cases), close procedures,
        follow-up questions and the feedback pair; remembers what "xem tiếp" shows next.
        Without buttons: one more part of a message that asked several questions (the last part has them)."""
        view = view if view is not None else view_of(tracker)
        reply = answers.render(
            self.intent_for(tracker, intent), procedure, hit,
            case=_number(view.get("document_case")),
            page=_number(view.get("document_page") or view.get("answer_page")),
            part=view.get("document_part"),
        )
        own = [buttons.button(label, b_intent, **entities) for label, b_intent, entities in reply.buttons]
        levels = [buttons.button(buttons.level_label(v.levels), intent, procedure_code=v.code) for v in (hit.alternatives if hit else [])]
        close = [buttons.button(short_title(other.name), intent, procedure_code=other.code) for other in others]
        follow_ups = [
            buttons.button(label, follow_up, procedure_code=procedure.code)
            for follow_up, label in buttons.FOLLOW_UPS.get(intent, buttons.DEFAULT_FOLLOW_UPS)
        ]
        # The answer's own next part, the same procedure at another level, a close procedure only when
        # nothing else is offered, then the next questions people ask.
        extra = own[:2] + levels[:1] + (close[:1] if not (own or levels) else []) + follow_ups
        offered = buttons.limit(extra[:3] + buttons.feedback_buttons(), keep_last=2)
        dispatcher.utter_message(text=reply.text, buttons=offered if with_buttons else [])
        more = json.dumps({"intent": reply.more[0], "entities": reply.more[1]}, ensure_ascii=False) if reply.more else None
        return [SlotSet("procedure_code", procedure.code), SlotSet("answer_more", more)] + succeeded()

    def intent_for(self, tracker: Tracker, intent: str) -> str:
        """The question this action answers (the documents and overview actions answer one kind only)."""
        return intent

    def other_parts(self, tracker: Tracker, text: str, intent: str) -> List[str]:
        """The other questions a typed message asking two or more asks, in its order, before the one this
        action answers (vietnamese.question_parts): at most MAX_PARTS - 1, each answered in its own message."""
        if text.startswith("/"):
            return []
        asked = [p for p in question_parts.aspects(text) if p in ANSWER_INTENTS]
        if len(asked) < 2:  # one question: the classifier's intent answers it
            return []
        main = self.intent_for(tracker, intent)
        return [p for p in asked if p != main][: MAX_PARTS - 1]

VIEW_ENTITIES = ("document_case", "document_page", "document_part", "answer_page")


def view_of(tracker: Tracker) -> Dict[str, Any]:
    """Which part of a long answer the message asks for (from a button's entities)."""
    return {name: entity(tracker, name) for name in VIEW_ENTITIES if entity(tracker, name) is not None}


def _number(value: Any) -> Optional[int]:
    try:
        return int(str(value)[:6]) if value is not None else None
    except ValueError:
        return None


class ActionAnswerDocuments(ProcedureAnswer):
    def name(self) -> Text:
        return "action_answer_documents"

    def intent_for(self, tracker: Tracker, intent: str) -> str:
        return "ask_documents"


class ActionAnswerOverview(ProcedureAnswer):
    def name(self) -> Text:
        return "action_answer_overview"

    def intent_for(self, tracker: Tracker, intent: str) -> str:
        return "ask_procedure"


class ActionAnswerQuestion(ProcedureAnswer):
    """Answers whichever question intent the message had (fee, time, where, ...)."""

    def name(self) -> Text:
        return "action_answer_question"


class ActionAnswerMore(ThreadedAction):
    """"xem tiếp": the next part of the last long answer (slot answer_more), or says there is none."""

    def name(self) -> Text:
        return "action_answer_more"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> Events:
        if _names_something(latest_text(tracker)):
            # "thế còn kết hôn": not the next page, another procedure (the overview answers, or asks which).
            try:
                decision = procedure_service().which_procedure(question_of(tracker))
            except SQLAlchemyError:
                decision = None
            if decision is not None and decision != Answer(payloads.slot_text(tracker, "procedure_code") or ""):
                return ActionAnswerOverview().answer(dispatcher, tracker)
        pending = _pending(tracker.get_slot("answer_more"))
        if pending is None:
            code = payloads.slot_text(tracker, "procedure_code")
            if not code:
                dispatcher.utter_message(response="utter_nothing_to_continue")
                return []
            offered = [buttons.button(label, intent, procedure_code=code) for intent, label in buttons.DEFAULT_FOLLOW_UPS]
            dispatcher.utter_message(response="utter_nothing_more", buttons=offered)
            return []
        intent, view = pending
        try:
            procedure = procedure_service().get(str(view.get("procedure_code") or ""))
        except SQLAlchemyError as exc:
            logger.error("catalogue unavailable: %s", type(exc).__name__)
            dispatcher.utter_message(response="utter_catalogue_unavailable")
            return []
        if procedure is None:
            dispatcher.utter_message(response="utter_nothing_more")
            return [SlotSet("answer_more", None)]
        return ActionAnswerQuestion().reply(dispatcher, tracker, procedure, None, intent, [], view=view)


class ActionNoneOfThese(ThreadedAction):
    """"Không phải các thủ tục này": recorded for officers as an unanswered question; the first time the
    citizen is asked to rephrase (with examples), the second time in a row an officer is offered."""

    def name(self) -> Text:
        return "action_none_of_these"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> Events:
        question = asked_question(tracker)
        try:
            desk_store().record_feedback(conversation_id=tracker.sender_id, helpful=False, question=question,
                                         intent="none_of_these", procedure_code=None,
                                         channel=tracker.get_latest_input_channel())
        except SQLAlchemyError as exc:  # the citizen still gets the way forward
            logger.error("'none of these' not stored: %s", type(exc).__name__)
        if _refused_before(tracker):
            dispatcher.utter_message(response="utter_none_of_these_officer", buttons=[buttons.officer_button()])
            return [SlotSet("pending_offer", OFFER_HANDOFF)]
        dispatcher.utter_message(response="utter_none_of_these_rephrase")
        return []


def asked_question(tracker: Tracker) -> Optional[str]:
    """The citizen's latest typed question before the "none of these" taps (what the choices answered)."""
    for event in reversed(tracker.events):
        text = event.get("text") if event.get("event") == "user" else None
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if isinstance(text, str) and text and not text.startswith("/") and intent != "none_of_these":
            return text
    return None


def _refused_before(tracker: Tracker) -> bool:
    """An earlier "none of these" since the last answer that named a procedure."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if not seen_latest:
                seen_latest = True
                continue
            if intent == "none_of_these":
                return True
        elif event.get("event") == "action" and event.get("name") in ANSWERED_BY:
            if seen_latest:
                return False
    return False


ANSWERED_BY = {"action_answer_documents", "action_answer_overview", "action_answer_question"}


# Words of "còn nữa không", "xem tiếp", "thế còn ... thì sao" (folded): what is left names something else.
CONTINUATION_WORDS = frozenset("con the nua tiep xem thi sao khong ko k a nhe nha di phan trang ra gi nao".split())


def _names_something(text: str) -> bool:
    """A typed "còn ..." that says more than "còn nữa không" ("thế còn kết hôn")."""
    return not text.startswith("/") and any(w not in CONTINUATION_WORDS for w in fold(text[:500]).split())


def _pending(value: Any) -> Optional[tuple]:
    """(intent, entities) from the answer_more slot; None when absent or not what the actions wrote."""
    try:
        data = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("intent") not in ANSWER_INTENTS or not isinstance(data.get("entities"), dict):
        return None
    entities = {k: str(v) for k, v in data["entities"].items() if k in VIEW_ENTITIES + ("procedure_code",)}
    return data["intent"], entities
