"""The curated catalogue states the national records' facts: codes, channels, fees, times, documents."""
import pytest

from tests.conftest import CURATED_DIR, NATIONAL_CATALOGUE
from tests.procedures_kb.curated_check import FACT_CODE, check, report

pytestmark = [
    pytest.mark.national,
    pytest.mark.skipif(not NATIONAL_CATALOGUE.exists(), reason=f"no national catalogue at {NATIONAL_CATALOGUE}"),
]


@pytest.fixture(scope="module")
def comparison():
    return check(CURATED_DIR, NATIONAL_CATALOGUE)


def test_every_curated_code_is_in_the_national_catalogue(comparison):
    assert [d.line() for d in comparison.disagreements if d.fact == FACT_CODE] == []


def test_curated_facts_agree_with_the_national_records(comparison):
    assert not comparison.disagreements, "\n" + report(comparison)
