"""Recognise a bare answer: a message that is only a procedure name, a code or digits.

A bare code or digits ("000.00.07.H29-240315-0012", "1234", "4 số cuối là
6789") is `inform`; a bare procedure name ("khai sinh", "làm sổ đỏ") asks
about that procedure, `ask_procedure` (an overview). When the entities found
cover the whole message but for a few filler words, the intent is set so,
whatever the classifier guessed; otherwise the classifier's intent stands.

A message with no letter or digit at all (empty, only emoji or punctuation)
is `nlu_fallback` with full confidence: there is nothing to classify, and the
fallback action asks the user to type a question. So is a message none of
whose words the tokenizer knows ("qwrtpz xkcdv"): the classifier would only
guess, often with high confidence.

A message in English (vietnamese.language.looks_english: "I want to renew my
visa, what documents do I need?") is `non_vietnamese` with full confidence:
the assistant says in English what it does and that it answers in Vietnamese,
rather than reading "visa" and "documents" as Vietnamese words.

A message that names a procedure (a `procedure` entity) is never
`out_of_scope` or `nlu_fallback`: its question is read from its words
("xin bản sao giấy khai sinh hết bao nhiêu" → ask_fee), else it is an overview.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.vietnamese_tokenizer import KNOWN_WORDS_KEY, WORD_COUNT_KEY
from vietnamese.folding import fold
from vietnamese.language import looks_english
from vietnamese.normalize import normalize
from vietnamese.question_parts import aspects
from vietnamese.words import has_content, words

INFORM = "inform"
ASK_PROCEDURE = "ask_procedure"
NON_VIETNAMESE = "non_vietnamese"
# A message that names a procedure is never out of scope: when the classifier says so (or is unsure), the
# question it asks about the procedure is read from its words (vietnamese.question_parts), else an overview.
NOT_ABOUT_A_PROCEDURE = {"out_of_scope", DEFAULT_NLU_FALLBACK_INTENT_NAME}
FILLER = set(
    "a a ah ak da vang thu tuc la ve cua toi minh em anh chi so cuoi 4 bon duoi sdt dien thoai "
    "ma ho so nhe nha oi ad cai do day".split()
)


def is_bare_answer(text: str, entities: List[Dict[str, Any]]) -> bool:
    if not entities or not isinstance(text, str):
        return False
    covered = [False] * len(text)
    for entity in entities:
        for index in range(max(0, entity.get("start", 0)), min(len(text), entity.get("end", 0))):
            covered[index] = True
    rest = "".join(" " if covered[i] else ch for i, ch in enumerate(text))
    folded = [fold(w) for w in words(normalize(rest).text)]
    return all(w in FILLER for w in " ".join(folded).split())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class BareAnswerClassifier(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "BareAnswerClassifier":
        return cls()

    @staticmethod
    def _names_a_procedure(message: Message) -> bool:
        return any(entity.get("entity") == "procedure" for entity in message.get(ENTITIES, []) or [])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            unknown_only = message.get(WORD_COUNT_KEY, 0) > 0 and message.get(KNOWN_WORDS_KEY, 1) == 0
            if looks_english(message.get(TEXT)) and not str(message.get(TEXT)).startswith("/"):
                message.set(INTENT, {INTENT_NAME_KEY: NON_VIETNAMESE, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
                message.set(ENTITIES, [], add_to_output=True)
            elif not has_content(message.get(TEXT)) or (unknown_only and not str(message.get(TEXT)).startswith("/")):
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0},
                    add_to_output=True,
                )
            elif is_bare_answer(message.get(TEXT), message.get(ENTITIES, [])):
                bare = ASK_PROCEDURE if self._names_a_procedure(message) else INFORM
                message.set(INTENT, {INTENT_NAME_KEY: bare, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
            elif self._names_a_procedure(message) and (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in NOT_ABOUT_A_PROCEDURE:
                asked = aspects(message.get(TEXT))
                name = asked[0] if asked else "ask_procedure"
                message.set(INTENT, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 0.9}, add_to_output=True)
        return messages
