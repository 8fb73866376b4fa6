"""A Vietnamese word tokenizer for Rasa 3.6 built on underthesea.

The message is normalised (vietnamese.normalize), words typed without
diacritics get them back from the project's own vocabulary
(bot.components.restorer), and underthesea segments the result into words
("đăng ký", "khai sinh"). Every token keeps exact character offsets into the
message as the user wrote it. Token texts are written in one form, by default
folded (no diacritics, syllables joined by "_"), so that "làm sổ đỏ" and
"lam so do" give the featurizers the same tokens.

The tokenizer also remembers every word of the training data and the curated
catalogue, and tells later components how many words of a message it knows
(KNOWN_WORDS_KEY / WORD_COUNT_KEY): a message of only unknown words
("qwrtpz xkcdv") is not a question the model can classify.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ACTION_NAME, ACTION_TEXT, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.restorer import DiacriticRestorer
from bot.components.vocabulary import curated_entries, vocabulary_fingerprint
from vietnamese.folding import fold
from vietnamese.normalize import normalize
from vietnamese.words import WORD_RE

logger = logging.getLogger(__name__)

RESTORER_FILE = "restorer.json"
VOCABULARY_FILE = "vocabulary.json"
NORMALIZED_KEY = "normalized_text"
KNOWN_WORDS_KEY = "known_word_count"
WORD_COUNT_KEY = "word_count"
MAX_CHARS = 5000


def folded_words(text: str) -> List[str]:
    return [fold(word) for word in WORD_RE.findall(text)]


def catalogue_texts(paths: Iterable[str]) -> List[str]:
    """Names, everyday names, summaries and steps of the curated catalogue, for the vocabulary."""
    texts: List[str] = []
    for entry in curated_entries(paths):
        texts.append(str(entry.get("name", "")))
        texts.extend(str(a) for a in entry.get("aliases") or [])
        texts.append(str(entry.get("summary", "")))
        texts.extend(str(s) for s in entry.get("steps") or [])
    return texts


def _example_key(example: Message) -> tuple:
    return tuple(str(example.get(key) or "") for key in (INTENT, TEXT, ACTION_NAME, ACTION_TEXT))


def in_stable_order(training_data: TrainingData) -> TrainingData:
    """The same examples sorted by (intent, text, action): the model no longer depends on file layout.

    Rasa reads data files in path order, and DIET's batches follow the order
    of the examples, so renaming or splitting a data file used to change the
    trained model. Sorting once here makes the order a function of the
    examples alone.
    """
    return TrainingData(
        training_examples=sorted(training_data.training_examples, key=_example_key),
        entity_synonyms=training_data.entity_synonyms,
        regex_features=training_data.regex_features,
        lookup_tables=training_data.lookup_tables,
        responses=training_data.responses,
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class VietnameseTokenizer(Tokenizer):
    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """The curated files it learns from (Rasa's cache would otherwise keep stale everyday names)."""
        return vocabulary_fingerprint(config.get("vocabulary_paths") or cls.get_default_config()["vocabulary_paths"])

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # Put diacritics back on unaccented words before segmenting.
            "restore_diacritics": True,
            # "folded" (no diacritics) or "accented" token texts.
            "token_form": "folded",
            # Curated catalogue files whose words join the restoration vocabulary.
            "vocabulary_paths": ["procedures_kb/data/curated"],
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["underthesea"]

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        restorer: Optional[DiacriticRestorer] = None,
        vocabulary: Optional[Iterable[str]] = None,
    ) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource
        self.restorer = restorer
        self.vocabulary = frozenset(vocabulary or ())

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "VietnameseTokenizer":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "VietnameseTokenizer":
        restorer, vocabulary = None, None
        try:
            with model_storage.read_from(resource) as directory:
                data = json.loads((Path(directory) / RESTORER_FILE).read_text(encoding="utf-8"))
                restorer = DiacriticRestorer.from_dict(data)
                vocabulary_path = Path(directory) / VOCABULARY_FILE
                if vocabulary_path.exists():
                    vocabulary = json.loads(vocabulary_path.read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.debug("no diacritic restorer stored for %s", resource.name)
        return cls(config, model_storage, resource, restorer, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        texts = [example.get(TEXT) or "" for example in in_stable_order(training_data).training_examples]
        texts.extend(catalogue_texts(self._config.get("vocabulary_paths") or []))
        normalized = [normalize(t).text for t in texts]
        self.restorer = DiacriticRestorer.train(normalized)
        self.vocabulary = frozenset(word for text in normalized for word in folded_words(text))
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / RESTORER_FILE).write_text(
                json.dumps(self.restorer.to_dict(), ensure_ascii=False), encoding="utf-8"
            )
            (Path(directory) / VOCABULARY_FILE).write_text(
                json.dumps(sorted(self.vocabulary), ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def prepare(self, text: str):
        """(normalised and restored text, Normalized map) for a message."""
        normalized = normalize(text[:MAX_CHARS])
        restored = normalized.text
        if self._config.get("restore_diacritics", True) and self.restorer is not None:
            restored = self.restorer.restore(restored)
        return restored, normalized

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Tokenize the training data, first put in a stable order (see `in_stable_order`)."""
        return super().process_training_data(in_stable_order(training_data))

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        if not isinstance(text, str) or not text.strip():
            return []
        restored, normalized = self.prepare(text)
        if attribute == TEXT:
            message.set(NORMALIZED_KEY, restored, add_to_output=True)
            if self.vocabulary:
                words = folded_words(restored)
                message.set(WORD_COUNT_KEY, len(words))
                message.set(KNOWN_WORDS_KEY, sum(1 for w in words if w.isdigit() or w in self.vocabulary))
        tokens: List[Token] = []
        for word, start, end in segment(restored):
            original_start, original_end = normalized.original_span(start, end)
            tokens.append(
                Token(self._form(word), original_start, original_end, data={"word": word})
            )
        return self._apply_token_pattern(tokens)

    def _form(self, word: str) -> str:
        base = fold(word) if self._config.get("token_form") == "folded" else word.lower()
        return base.replace(" ", "_") or word


def segment(text: str) -> List[tuple]:
    """underthesea words of `text` with their (start, end) offsets in `text`."""
    from underthesea import word_tokenize

    words = word_tokenize(text) if text.strip() else []
    spans = []
    cursor = 0
    lowered = text.lower()
    for word in words:
        if not any(ch.isalnum() for ch in word):
            continue
        index = lowered.find(word.lower(), cursor)
        if index < 0:
            # underthesea changed the word; fall back to its syllables one by one.
            for syllable in word.split():
                index = lowered.find(syllable.lower(), cursor)
                if index >= 0:
                    spans.append((text[index:index + len(syllable)], index, index + len(syllable)))
                    cursor = index + len(syllable)
            continue
        spans.append((text[index:index + len(word)], index, index + len(word)))
        cursor = index + len(word)
    return spans
