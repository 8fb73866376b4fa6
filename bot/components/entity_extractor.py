"""Rule-based entities for the procedure domain, with exact offsets.

* ``dossier_code``: a dossier code however it was typed; value normalised
  (``000.00.07.H29-240315-0012``).
* ``procedure``: the words the user used for a procedure, matched against the
  names and everyday names of the curated catalogue; value is the span as typed.
* ``phone_last_digits``: four digits answering a verification question.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.mentions import PhraseMatcher, find_last_digits
from bot.components.vocabulary import curated_entries, vocabulary_fingerprint
from dossiers.codes import find_codes
from vietnamese.normalize import normalize

logger = logging.getLogger(__name__)
PHRASES_FILE = "procedure_phrases.json"
MAX_CHARS = 5000


def curated_phrases(paths: List[str]) -> List[str]:
    """Names and everyday names, normalised as messages are before matching."""
    phrases: List[str] = []
    for entry in curated_entries(paths):
        phrases.append(str(entry.get("name", "")))
        phrases.extend(str(alias) for alias in entry.get("aliases") or [])
    return [normalize(p).text for p in phrases if p]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class ProcedureEntityExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """The curated files it learns from (Rasa's cache would otherwise keep stale everyday names)."""
        return vocabulary_fingerprint(config.get("vocabulary_paths") or cls.get_default_config()["vocabulary_paths"])

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"vocabulary_paths": ["procedures_kb/data/curated"]}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        matcher: Optional[PhraseMatcher] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self.matcher = matcher or PhraseMatcher([])

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext):
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config, model_storage, resource, execution_context: ExecutionContext, **kwargs: Any):
        matcher = None
        try:
            with model_storage.read_from(resource) as directory:
                phrases = json.loads((Path(directory) / PHRASES_FILE).read_text(encoding="utf-8"))
                matcher = PhraseMatcher(phrases)
        except (ValueError, FileNotFoundError):
            logger.debug("no procedure phrases stored for %s", resource.name)
        return cls(config, model_storage, resource, matcher)

    def train(self, training_data: TrainingData) -> Resource:
        self.matcher = PhraseMatcher(curated_phrases(self._config.get("vocabulary_paths") or []))
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / PHRASES_FILE).write_text(
                json.dumps(self.matcher.phrases(), ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            found = self.extract(text[:MAX_CHARS])
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def extract(self, text: str) -> List[Dict[str, Any]]:
        entities: List[Dict[str, Any]] = []
        code_spans = []
        for code in find_codes(text):
            code_spans.append((code.start, code.end))
            entities.append(_entity("dossier_code", code.value, code.start, code.end))
        normalized = normalize(text)
        for start, end in self.matcher.find(normalized.text):
            o_start, o_end = normalized.original_span(start, end)
            if any(s <= o_start < e for s, e in code_spans):
                continue
            entities.append(_entity("procedure", text[o_start:o_end], o_start, o_end))
        for start, end in find_last_digits(text, code_spans):
            entities.append(_entity("phone_last_digits", text[start:end], start, end))
        return sorted(entities, key=lambda e: e["start"])


def _entity(name: str, value: str, start: int, end: int) -> Dict[str, Any]:
    return {"entity": name, "value": value, "start": start, "end": end, "confidence_entity": 1.0}
