"""The graph components on real Rasa messages: offsets, entities, persistence."""
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.entity_extractor import ProcedureEntityExtractor
from bot.components.vietnamese_tokenizer import NORMALIZED_KEY, VietnameseTokenizer

TRAINING = ["làm sổ đỏ cần giấy tờ gì", "đăng ký tạm trú ở đâu", "đăng ký khai sinh mất bao lâu"]


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    return LocalModelStorage(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def tokenizer(storage):
    config = {**VietnameseTokenizer.get_default_config()}
    resource = Resource("tokenizer")
    context = ExecutionContext(graph_schema=None, model_id="test")
    component = VietnameseTokenizer.create(config, storage, resource, context)
    component.train(TrainingData([Message(data={TEXT: t}) for t in TRAINING]))
    return VietnameseTokenizer.load(config, storage, resource, context)


@pytest.fixture(scope="module")
def extractor(storage):
    config = ProcedureEntityExtractor.get_default_config()
    resource = Resource("extractor")
    context = ExecutionContext(graph_schema=None, model_id="test")
    ProcedureEntityExtractor.create(config, storage, resource, context).train(TrainingData())
    return ProcedureEntityExtractor.load(config, storage, resource, context)


def _tokens(tokenizer, text):
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    return message, message.get(TOKENS_NAMES[TEXT])


def test_accented_and_unaccented_give_the_same_tokens(tokenizer):
    _, accented = _tokens(tokenizer, "làm sổ đỏ cần giấy tờ gì")
    _, unaccented = _tokens(tokenizer, "lam so do can giay to gi")
    assert [t.text for t in accented] == [t.text for t in unaccented]
    assert "giay_to" in [t.text for t in accented]


@pytest.mark.parametrize(
    "text",
    [
        "Cho mình hỏi   đk tạm trú ở đâu ạ???",
        "lam so do can giay to gi",
        "😀 đăng ký khai sinh 😀",
        "Thu\u0309 tu\u0323c đăng ký khai sinh",  # decomposed marks
    ],
)
def test_offsets_point_into_the_original_message(tokenizer, text):
    message, tokens = _tokens(tokenizer, text)
    assert tokens
    for token in tokens:
        assert 0 <= token.start < token.end <= len(text)
        assert text[token.start:token.end].strip()
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    assert message.get(NORMALIZED_KEY)


def test_abbreviation_token_spans_the_abbreviation(tokenizer):
    text = "dk tạm trú ở đâu"
    _, tokens = _tokens(tokenizer, text)
    first = tokens[0]
    assert first.text == "dang_ky"
    assert text[first.start:first.end] == "dk"


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "\x00\x01", "a" * 100_000])
def test_empty_odd_and_enormous_messages(tokenizer, text):
    _, tokens = _tokens(tokenizer, text)
    assert isinstance(tokens, list)


@pytest.mark.parametrize("text", ["\u200b", "\u200b\u200b\ufeff", " \u034f\u00ad "])
def test_a_message_of_only_invisible_characters_has_no_tokens(tokenizer, text):
    message, tokens = _tokens(tokenizer, text)
    assert tokens == []
    assert not message.get(NORMALIZED_KEY)


@pytest.mark.parametrize(
    "text, word, typed",
    [
        ("lamf laij cancuowcs heets bao nhieeu tieenf", "het", "heets"),
        ("la2m ho65 chie61u", "ho_chieu", "ho65 chie61u"),
        ("#thutuc khai sinh", "thu_tuc", "#thutuc"),
        ("đăng\u200bký khai sinh", "dang_ky", "đăng\u200bký"),
        ("сăn cước сông dân", "cong_dan", "сông dân"),
    ],
)
def test_tokens_of_keys_commands_and_look_alikes_point_at_what_was_typed(tokenizer, text, word, typed):
    _, tokens = _tokens(tokenizer, text)
    (token,) = [t for t in tokens if t.text == word]
    assert text[token.start:token.end] == typed


def test_tokens_of_a_capitalised_place_keep_its_marks(tokenizer):
    message, _ = _tokens(tokenizer, "đăng ký tạm trú ở Lào Cai")
    assert message.get(NORMALIZED_KEY).endswith("Lào Cai")


def _entities(extractor, text):
    message = Message(data={TEXT: text})
    extractor.process([message])
    return [(e["entity"], e["value"], text[e["start"]:e["end"]]) for e in message.get(ENTITIES, [])]


def test_entities_with_spans(extractor):
    text = "hồ sơ 000 00 07 h29 240315 0012 làm sổ đỏ của tôi sao rồi"
    assert _entities(extractor, text) == [
        ("dossier_code", "000.00.07.H29-240315-0012", "000 00 07 h29 240315 0012"),
        ("procedure", "làm sổ đỏ", "làm sổ đỏ"),
    ]


def test_procedure_mention_typed_without_marks_or_abbreviated(extractor):
    assert ("procedure", "dk tam tru", "dk tam tru") in _entities(extractor, "cho hỏi dk tam tru ở đâu")
    assert ("procedure", "lam so do", "lam so do") in _entities(extractor, "lam so do bao lau")


def test_codes_in_urls_and_two_codes_are_entities(extractor):
    text = "https://dichvucong.gov.vn/tra-cuu?ma=000.00.07.H29-240315-0012 và G22.99-251225-020175"
    assert [e[:2] for e in _entities(extractor, text)] == [
        ("dossier_code", "000.00.07.H29-240315-0012"), ("dossier_code", "G22.99-251225-020175")]


def test_verification_digits(extractor):
    assert _entities(extractor, "số cuối là 4321") == [("phone_last_digits", "4321", "4321")]
    assert _entities(extractor, "000.00.07.H29-240315-0012") == [
        ("dossier_code", "000.00.07.H29-240315-0012", "000.00.07.H29-240315-0012")
    ]


@pytest.mark.parametrize("text", ["", "😀", "'; DROP TABLE x; --", "0" * 10_000])
def test_extractor_never_raises(extractor, text):
    assert isinstance(_entities(extractor, text), list)


@pytest.mark.parametrize(
    "text, bare",
    [
        ("làm sổ đỏ", True),
        ("thủ tục đăng ký tạm trú ạ", True),
        ("000.00.07.H29-240315-0012", True),
        ("4 số cuối là 6789", True),
        ("làm sổ đỏ mất bao lâu", False),
        ("hồ sơ 000.00.07.H29-240315-0012 đến đâu rồi", False),
        ("xin chào", False),
    ],
)
def test_bare_answers(extractor, text, bare):
    from bot.components.bare_answer import is_bare_answer

    message = Message(data={TEXT: text})
    extractor.process([message])
    assert is_bare_answer(text, message.get(ENTITIES, [])) is bare


@pytest.mark.parametrize("text, intent", [
    ("I want to renew my visa, what documents do I need?", "non_vietnamese"),
    ("lam ho chieu can giay to gi", "ask_documents"),  # the classifier's intent stands
    ('/ask_fee{"procedure_code": "1.001193"}', "ask_documents"),  # a button's payload is never "English"
])
def test_an_english_message_is_non_vietnamese_and_loses_its_entities(text, intent):
    from rasa.shared.nlu.constants import INTENT

    from bot.components.bare_answer import BareAnswerClassifier

    message = Message(data={TEXT: text, INTENT: {"name": "ask_documents", "confidence": 0.9}})
    message.set(ENTITIES, [{"entity": "procedure", "value": "visa", "start": 0, "end": 4}])
    BareAnswerClassifier().process([message])
    assert message.get(INTENT)["name"] == intent
    assert (message.get(ENTITIES) == []) is (intent == "non_vietnamese")


def test_a_changed_everyday_name_changes_the_fingerprint_so_rasa_retrains(tmp_path):
    """Rasa restores a component from its training cache unless its fingerprint changes: the curated files
    the tokenizer and the extractor learn from are part of it."""
    from bot.components.vietnamese_tokenizer import VietnameseTokenizer

    curated = tmp_path / "curated"
    curated.mkdir()
    (curated / "a.yml").write_text("procedures:\n  - {code: '1.001193', name: Đăng ký khai sinh, aliases: [gks]}\n",
                                   encoding="utf-8")
    config = {"vocabulary_paths": [str(curated)]}
    before = ProcedureEntityExtractor.fingerprint_addon(config)
    assert before == VietnameseTokenizer.fingerprint_addon(config)
    (curated / "a.yml").write_text("procedures:\n  - {code: '1.001193', name: Đăng ký khai sinh, aliases: [khai sinh]}\n",
                                   encoding="utf-8")
    assert ProcedureEntityExtractor.fingerprint_addon(config) != before
    assert ProcedureEntityExtractor.fingerprint_addon({}) == ProcedureEntityExtractor.fingerprint_addon(
        {"vocabulary_paths": ["procedures_kb/data/curated"]})
