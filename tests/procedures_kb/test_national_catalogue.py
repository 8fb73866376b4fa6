"""The real national catalogue imports completely, on both backends."""
import pytest

from procedures_kb import repository
from procedures_kb.importer import import_path
from procedures_kb.search import SearchIndex
from tests.conftest import CURATED_DIR, NATIONAL_CATALOGUE

pytestmark = pytest.mark.national


@pytest.fixture(scope="module")
def imported(migrated_engine):
    """Curated first, then the national import on top (the order `make run` and an operator use)."""
    from storage.engine import make_session_factory
    from tests.conftest import _empty_tables

    _empty_tables(migrated_engine)
    sessions = make_session_factory(migrated_engine)
    with sessions() as session:
        import_path(session, CURATED_DIR)
        result = import_path(session, NATIONAL_CATALOGUE)
    yield sessions, result
    _empty_tables(migrated_engine)


def test_whole_catalogue_with_coverage(imported):
    sessions, result = imported
    coverage = result.coverage.as_dict()
    assert coverage["records"] == 2642
    assert result.created + result.updated == 2642
    assert coverage["with_methods_and_documents_pct"] >= 95.0
    with sessions() as session:
        assert repository.count_procedures(session) == 2642


def test_facts_of_known_procedures(imported):
    sessions, _ = imported
    with sessions() as session:
        residence = repository.get_procedure(session, "1.004222")
        online = [m for m in residence.methods if m.channel == "online"][0]
        assert (online.time_value, online.time_unit, online.fee_amount) == (7, "working_day", 10000)
        birth = repository.get_procedure(session, "1.001193")
        assert birth.source == "national" and birth.levels == ["Cấp xã"]
        assert any("Giấy chứng sinh" in d.name for d in birth.documents_to_bring())
        assert "làm giấy khai sinh" in {a.text for a in birth.aliases}
        assert birth.summary  # the curated plain-language summary survives the import


@pytest.mark.parametrize(
    "query, code, alternative",
    [
        ("lam so do", "1.013978", None),
        ("cap lai the can cuoc", "1.014064", "1.000757"),
        ("đăng ký khai sinh cần giấy tờ gì", "1.001193", None),
        ("cấp thẻ căn cước cho người dưới 14 tuổi", "1.014062", "1.012543"),
    ],
)
def test_search_over_whole_catalogue(imported, query, code, alternative):
    sessions, _ = imported
    with sessions() as session:
        hits = SearchIndex.from_session(session).search(query, limit=3)
    assert hits[0].code == code
    if alternative:
        assert alternative in {v.code for v in hits[0].alternatives}


def test_retrieval_quality_on_the_labelled_set(imported):
    """Behaviour, not speed: most questions find their procedure first, nearly all in the top 3."""
    import yaml

    from tests.conftest import PROJECT_ROOT

    questions = yaml.safe_load((PROJECT_ROOT / "tests" / "data" / "retrieval_questions.yml").read_text())["questions"]
    assert len(questions) >= 150
    sessions, _ = imported
    with sessions() as session:
        index = SearchIndex.from_session(session)
    top1 = top3 = 0
    for item in questions:
        codes = [hit.code for hit in index.search(item["question"], limit=3)]
        top1 += codes[:1] == [item["code"]]
        top3 += item["code"] in codes
    assert top1 / len(questions) >= 0.85
    assert top3 / len(questions) >= 0.95
