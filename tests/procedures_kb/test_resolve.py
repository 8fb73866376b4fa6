"""Which procedure a message means: the pure decision, table-driven, no tracker, no database."""
import pytest

from procedures_kb.resolve import (
    MAX_CHOICES,
    MAX_SUGGESTIONS,
    SWITCH_SCORE,
    Answer,
    Ask,
    NotFound,
    Question,
    decide,
    mentioned_codes,
    needs_search,
    typed_codes,
)
from procedures_kb.search import SearchHit


def hit(code, score, covered=False, explained=0.0, matched=("ten",), name_share=1.0):
    """A search hit; `matched`: the question's words its name has (by default one that identifies it);
    `name_share`: how much of its name the question says."""
    return SearchHit(code=code, name=f"Thủ tục {code}", levels=["Cấp xã"], field=None, score=score,
                     covered=covered, explained=explained, matched=frozenset(matched), name_share=name_share)


BIRTH = hit("1.001193", 20.0, covered=True, explained=1.0, matched=("khai", "sinh"))
BIRTH_ABROAD = hit("2.000528", 17.0, matched=("khai", "sinh"))  # close, but adds words the question did not say
LICENCES = [hit("3.000348", 12.0, explained=1.0), hit("3.000347", 11.5, explained=1.0),
            hit("3.000353", 11.0, explained=1.0), hit("3.000354", 10.0), hit("3.000355", 9.0),
            hit("3.000356", 8.0)]
PASS_BY_PLACE = hit("1.012680", 15.0, explained=0.5, matched=("lao", "cai"))  # "Lào" of a border pass
FEE_FOLLOW_UP = [hit("1.004222", 6.0)]  # "còn lệ phí thì sao?" matches weakly
KNOWN = {"1.001193", "1.004194", "1.004873", "2.000528", "3.000347", "1.013978"}

CASES = [
    # (name, question, hits, expected)
    ("code typed in the message", Question("thủ tục 1.004873 cần gì"), [], Answer("1.004873")),
    ("unknown typed code falls back to the search", Question("thủ tục 1.999999 đăng ký khai sinh"), [BIRTH],
     Answer("1.001193", BIRTH)),
    ("a button's chosen code", Question('/ask_fee{"procedure_code": "3.000347"}', chosen_code="3.000347"), [],
     Answer("3.000347")),
    ("a button's code wins over the procedure under discussion",
     Question("/ask_fee", current_code="1.004194", chosen_code="3.000347"), [], Answer("3.000347")),
    ("a button's unknown code is refused", Question("/ask_fee", chosen_code="9.999999"), [],
     NotFound(unknown_code="9.999999")),
    ("an unknown code typed alone is said to be unknown, nothing offered", Question("thủ tục mã 9.999999"),
     [hit("1.012566", 7.2)], NotFound(unknown_code="9.999999")),
    ("follow-up keeps the procedure under discussion", Question("còn lệ phí thì sao?", current_code="1.004194"),
     FEE_FOLLOW_UP, Answer("1.004194")),
    ("follow-up with no hits keeps it too", Question("mất bao lâu", current_code="1.004194"), [], Answer("1.004194")),
    ("naming another procedure completely switches",
     Question("còn làm sổ đỏ thì sao", current_code="1.004194", names_procedure=True),
     [hit("1.013978", 9.0, covered=True, matched=("so", "do"))],
     Answer("1.013978", hit("1.013978", 9.0, covered=True, matched=("so", "do")))),
    ("words shared by chance do not switch", Question("cần mang theo gì", current_code="1.004194"),
     [hit("1.002496", 18.0, explained=1.0, matched=("theo",), name_share=0.2)], Answer("1.004194")),
    ("a follow-up about other procedures' words switches (and then asks)",
     Question("giấy phép lái xe lệ phí bao nhiêu", current_code="1.001456"),
     [hit("3.000346", 20.0, explained=1.0, matched=("giay", "phep", "lai")),
      hit("3.000348", 19.0, explained=1.0, matched=("giay", "phep", "lai"))],
     Ask([hit("3.000346", 20.0, explained=1.0, matched=("giay", "phep", "lai")),
          hit("3.000348", 19.0, explained=1.0, matched=("giay", "phep", "lai"))])),
    ("... but not when the procedure under discussion is among the best hits",
     Question("giấy phép lái xe lệ phí bao nhiêu", current_code="3.000347"),
     [hit("3.000346", 20.0, explained=1.0, matched=("giay", "phep", "lai")),
      hit("3.000347", 19.0, explained=1.0, matched=("giay", "phep", "lai"))], Answer("3.000347")),
    ("an incidental word does not switch", Question("làm trên vneid được không", current_code="1.004194"),
     [hit("3.000228", 20.0, covered=True, matched=("vneid", "tren"))], Answer("1.004194")),
    ("a place is not a procedure", Question("tôi ở Lào Cai"), [PASS_BY_PLACE], NotFound([PASS_BY_PLACE])),
    ("a name sharing little of the question is not answered", Question("nuôi cá voi trên sao hỏa"),
     [hit("1.003741", 15.0, explained=0.4)], NotFound([hit("1.003741", 15.0, explained=0.4)])),
    ("a question saying half of a long name asks rather than answers", Question("bằng lái xe thì làm lại thế nào"),
     [hit("3.000351", 30.0, explained=1.0, name_share=0.5), hit("3.000348", 19.0, explained=1.0, name_share=0.5)],
     Ask([hit("3.000351", 30.0, explained=1.0, name_share=0.5), hit("3.000348", 19.0, explained=1.0, name_share=0.5)])),
    ("a search sure of another procedure switches", Question("đăng ký khai sinh", current_code="1.004194"),
     [BIRTH], Answer("1.001193", BIRTH)),
    ("an unknown procedure under discussion is not kept", Question("cần gì", current_code="1.000000"),
     [], NotFound([])),
    ("one clear hit answers", Question("đăng ký khai sinh"), [BIRTH], Answer("1.001193", BIRTH)),
    ("fully named, close ones offered beside", Question("đăng ký khai sinh"), [BIRTH, BIRTH_ABROAD],
     Answer("1.001193", BIRTH, [BIRTH_ABROAD])),
    ("named completely though not first: the variant's extra words were not said",
     Question("kết hôn với người cùng xã"),
     [hit("2.000806", 34.9, matched=("ket", "hon")), hit("1.000894", 32.7, covered=True, matched=("ket", "hon"))],
     Answer("1.000894", hit("1.000894", 32.7, covered=True, matched=("ket", "hon")),
            [hit("2.000806", 34.9, matched=("ket", "hon"))])),
    ("named completely, but a close one explains more of the question: ask",
     Question("kết hôn với người nước ngoài"),
     [hit("2.000806", 34.9, matched=("ket", "hon", "nuoc", "ngoai")),
      hit("1.000894", 32.7, covered=True, matched=("ket", "hon"))],
     Ask([hit("2.000806", 34.9, matched=("ket", "hon", "nuoc", "ngoai")),
          hit("1.000894", 32.7, covered=True, matched=("ket", "hon"))])),
    ("several close ask", Question("giấy phép lái xe"), LICENCES, Ask(LICENCES[:MAX_CHOICES])),
    ("nothing is not found", Question("nuôi cá voi trên sao hỏa"), [], NotFound([])),
    ("a low score is not found, with suggestions", Question("alo"), [hit("1.000001", 1.5), hit("1.000002", 1.0)],
     NotFound([hit("1.000001", 1.5), hit("1.000002", 1.0)])),
    ("vague and not explained is not found", Question("căn"), [hit("1.014063", 3.0), hit("1.014064", 2.9)],
     NotFound([hit("1.014063", 3.0), hit("1.014064", 2.9)])),
    ("vague but on topic asks", Question("căn cước"),
     [hit("1.014063", 3.0, explained=1.0), hit("1.014064", 2.9, explained=1.0)],
     Ask([hit("1.014063", 3.0, explained=1.0), hit("1.014064", 2.9, explained=1.0)])),
]


@pytest.mark.parametrize("question, hits, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_decide(question, hits, expected):
    assert decide(question, hits, KNOWN) == expected


def test_asking_offers_at_most_four_choices_best_first():
    decision = decide(Question("giấy phép lái xe"), LICENCES, KNOWN)
    assert isinstance(decision, Ask)
    assert 2 <= len(decision.choices) <= MAX_CHOICES
    assert decision.choices[0] == LICENCES[0]


def test_not_found_suggests_at_most_three():
    hits = [hit(f"1.00000{i}", 1.0) for i in range(6)]
    assert decide(Question("zzz"), hits, KNOWN) == NotFound(hits[:MAX_SUGGESTIONS])


@pytest.mark.parametrize("score, switches", [(SWITCH_SCORE - 0.1, False), (SWITCH_SCORE, True)])
def test_a_mention_the_search_is_sure_of_switches_though_not_named_completely(score, switches):
    strong = hit("1.001193", score, explained=1.0, name_share=0.2, matched=("sinh",))
    decision = decide(Question("khai sinh", current_code="1.004194", names_procedure=True), [strong], KNOWN)
    assert (decision != Answer("1.004194")) is switches
    kept = decide(Question("khai sinh", current_code="1.004194"), [strong], KNOWN)  # no mention: kept
    assert kept == Answer("1.004194")


@pytest.mark.parametrize(
    "text, codes",
    [("thủ tục 1.004873 và 2.000528", ["1.004873", "2.000528"]), ("mã 11.004873", []), ("1.0048731", []),
     ("5.002580", ["5.002580"]), ("9.999999", ["9.999999"]),
     ("000.00.07.H29-240315-0012", []), ("", [])],
)
def test_typed_codes(text, codes):
    assert typed_codes(text) == codes


def test_what_the_service_must_look_up_and_when_it_searches():
    question = Question("thủ tục 1.004873", current_code="1.004194")
    assert mentioned_codes(question) == ["1.004873", "1.004194"]
    assert needs_search(question, known={"1.004873"}) is False
    assert needs_search(question, known=set()) is True
    assert needs_search(Question("/ask_fee", chosen_code="x"), known=set()) is False


def test_the_service_searches_and_decides_on_the_curated_catalogue(engine, session):
    from procedures_kb.importer import import_path
    from procedures_kb.service import ProcedureService
    from tests.conftest import CURATED_DIR

    import_path(session, CURATED_DIR)
    service = ProcedureService(engine)
    assert service.which_procedure(Question("đăng ký khai sinh cần giấy tờ gì")).code == "1.001193"
    assert service.which_procedure(Question("còn lệ phí thì sao?", current_code="1.004194")).code == "1.004194"
    assert isinstance(service.which_procedure(Question("giấy phép lái xe cần giấy tờ gì")), Ask)
    assert service.which_procedure(Question("/ask_fee", chosen_code="9.999999")) == NotFound(unknown_code="9.999999")
    assert isinstance(service.which_procedure(Question("xyzq qwzx")), NotFound)


@pytest.mark.parametrize("text, sentence", [
    ("làm lại căn cước cần gì", None),  # short: the whole message
    ("Tôi năm nay 45 tuổi, quê ở Nghệ An, đang làm công nhân ở Bình Dương và mới chuyển nhà trọ sang chỗ mới "
     "gần công ty. Tháng trước tôi bị mất ví. Giờ tôi muốn làm lại thẻ căn cước thì cần gì? Cảm ơn ạ.",
     "Giờ tôi muốn làm lại thẻ căn cước thì cần gì?"),
    ("tôi năm nay 45 tuổi quê ở Nghệ An đang làm công nhân ở Bình Dương và mới chuyển nhà trọ sang chỗ mới gần công ty "
     "tháng trước tôi bị mất ví giờ tôi muốn làm lại thẻ căn cước", None),  # one sentence
])
def test_the_sentence_of_a_letter_that_asks(text, sentence):
    from procedures_kb.resolve import asking_sentence

    assert asking_sentence(text) == sentence


def test_the_service_builds_its_index_at_start_and_survives_a_database_without_tables(engine, session, tmp_path):
    """The action server warms the index at start (actions.runtime.start): the first citizen's question must not
    pay for it. A database without tables is logged, not raised: the first question reports it."""
    from procedures_kb.importer import import_path
    from procedures_kb.service import ProcedureService
    from storage.engine import make_engine
    from tests.conftest import CURATED_DIR

    import_path(session, CURATED_DIR)
    service = ProcedureService(engine)
    service.warm()
    assert service._index is not None and service.search("khai sinh")[0].code == "1.001193"
    bare = ProcedureService(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    bare.warm()
    assert bare._index is None
