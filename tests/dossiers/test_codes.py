import pytest

from dossiers.codes import find_codes, looks_like_code, parse_code


@pytest.mark.parametrize(
    "typed",
    [
        "000.00.07.H29-240315-0012",
        "000.00.07.h29-240315-0012",
        "000 00 07 H29 240315 0012",
        "0000007H292403150012",
        "hồ sơ 000.00.07.H29-240315-0012 đến đâu rồi",
        "mã:000.00.07.H29 - 240315 - 0012.",
    ],
)
def test_codes_however_typed(typed):
    code = parse_code(typed)
    assert code is not None
    assert code.value == "000.00.07.H29-240315-0012"
    assert code.received.isoformat() == "2024-03-15"
    assert typed[code.start:code.end].replace(" ", "").upper().startswith("000")


@pytest.mark.parametrize(
    "typed",
    ["000.00.07.H29-241315-0012", "000.00.07.H29-240315-12", "'; DROP TABLE dossiers;--", "1" * 10_000, "", None],
)
def test_malformed_codes_are_not_codes(typed):
    assert parse_code(typed) is None


def test_looks_like_code_catches_what_users_meant():
    assert looks_like_code("000.00.07.H29-241315-0012")
    assert not looks_like_code("đăng ký tạm trú")


def test_several_codes():
    text = "000.00.07.H29-240315-0012 và 001.23.45.G22-251201-0133"
    assert [c.value for c in find_codes(text)] == ["000.00.07.H29-240315-0012", "001.23.45.G22-251201-0133"]
