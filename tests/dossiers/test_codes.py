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


@pytest.mark.parametrize(
    "typed, value",
    [
        ("H56.14-240823-0001", "H56.14-240823-0001"),
        ("h56 14 240823 0001", "H56.14-240823-0001"),
        ("G01.23.45-240101-0001", "G01.23.45-240101-0001"),
        ("H29.99-240315-00012", "H29.99-240315-00012"),
        ("Mã hồ sơ: G22.99-251225-020175", "G22.99-251225-020175"),
        ("G2299251225020175", "G22.99-251225-020175"),
        ("38.98.H29-210519-0013", "38.98.H29-210519-0013"),
    ],
)
def test_the_forms_provinces_and_the_national_portal_print(typed, value):
    code = parse_code(typed)
    assert code is not None and code.value == value
    assert code.agency == value.rsplit("-", 2)[0]


@pytest.mark.parametrize(
    "typed",
    [
        "000.00.07.H29-24O315-OO12",  # the letter O for zeros
        "0o0.0O.o7.H29-240315-0012",
        "０００.００.０７.Ｈ２９-２４０３１５-００１２",  # full-width
        "٠٠٠.٠٠.٠٧.H٢٩-٢٤٠٣١٥-٠٠١٢",  # Arabic-Indic digits
        "000.00.07.H29\u200b-240315\u200b-0012",  # zero-width spaces
        "000.00.07.H29 \u200b240315 0012",
        "000\u00ad.00.07.H29-240315-0012",  # soft hyphen
        "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?ma=000.00.07.H29-240315-0012&lang=vi",
        "xem giúp https://motcua.example.vn/ho-so/000.00.07.H29-240315-0012/chi-tiet",
        # The Windows Vietnamese layout: 1-4 ă â ê ô, 5-9 the tone marks, 0 đ ("H29" comes out "Hậ").
        "đđđ.đđ.đ\u0303.Hậ-âôđêằ-đđăâ",
        "mã hs: đđđ.đđ.đ\u0303.Hậ-âôđêằ-đđăâ nhé",
        "000.00.07.Hậ-240315-0012",
    ],
)
def test_typed_variants(typed):
    code = parse_code(typed)
    assert code is not None and code.value == "000.00.07.H29-240315-0012"
    assert typed[code.start:code.end].strip() == typed[code.start:code.end]
    assert code.end - code.start >= 17


def test_a_code_in_a_url_keeps_its_span():
    text = "https://dichvucong.gov.vn/tra-cuu?ma=000.00.07.H29-240315-0012"
    (code,) = find_codes(text)
    assert text[code.start:code.end] == "000.00.07.H29-240315-0012"


def test_two_codes_of_different_forms_in_order():
    text = "G22.99-251225-020175 rồi 000.00.07.h29 240315 0012 và https://x.vn/?ma=H56.14-240823-0001"
    assert [c.value for c in find_codes(text)] == [
        "G22.99-251225-020175", "000.00.07.H29-240315-0012", "H56.14-240823-0001"]
    assert [text[c.start:c.end] for c in find_codes(text)] == [
        "G22.99-251225-020175", "000.00.07.h29 240315 0012", "H56.14-240823-0001"]


@pytest.mark.parametrize(
    "typed",
    [
        "H56.14-241323-0001",  # month 13
        "G22.99-250230-020175",  # 30 February
        "H29.99-240315-0012345",  # seven-digit sequence
        "250101000123",  # digits alone: no source prints them, a CCCD has 12 digits too
        "0987650228", "001099012345", "15/03/2024", "1.001193", "123456789012345678",
        "hồ sơ đăng ký khai sinh",  # Vietnamese letters are not number-row digits outside a code
        "ăâêô đđđ",
    ],
)
def test_not_codes(typed):
    assert parse_code(typed) is None


@pytest.mark.parametrize("typed", ["0987650228", "0987 650 228", "+84 987 650 228", "15/03/2024", "15-03-2024",
                                   "1.001193", "001099012345", "12345678901234", "2024", "sđt 0987650228",
                                   "CO-OP OOOO", "OOOOOOOOOOOO"])
def test_numbers_are_not_malformed_codes(typed):
    """(and no word made of Os is a code: "CO-OP", "OOOO")"""
    assert not looks_like_code(typed)


@pytest.mark.parametrize("typed", ["000.00.07.H29-2403", "000.00.07.29-240315-0012", "H29.99-241315-0012",
                                   "0000007H292413150012",
                                   "H56.14-OOOOOO-OOOO", "mã hồ sơ H56.14-OOOOOO-OOOO"])  # Os only: no real date
def test_codes_cut_short_or_mistyped_look_like_codes(typed):
    assert parse_code(typed) is None
    assert looks_like_code(typed)


def test_the_existing_form_canonicalises_as_before():
    """Dossiers stored before these forms were read are looked up by the same canonical value."""
    for typed in ("000.00.07.H29-240315-0012", "000 00 07 h29 240315 0012", "0000007H292403150012"):
        code = parse_code(typed)
        assert (code.value, code.agency, code.sequence) == ("000.00.07.H29-240315-0012", "000.00.07.H29", "0012")


def test_seeded_codes_parse_to_themselves():
    from dossiers.seed import AGENCIES

    for agency, _ in AGENCIES:
        for sequence in ("0001", "0123", "12345"):
            value = f"{agency}-261120-{sequence}"
            assert parse_code(value).value == value
            assert parse_code(value.lower().replace(".", " ")).value == value


def test_long_text_is_read_in_linear_time():
    from tests.work import calls

    def read(text):
        find_codes(text)
        looks_like_code(text)

    chunk = "0" * 9 + " " + "H29 " * 3 + "000.00.07.H29-240315-0012 "
    assert calls(read, chunk * 400) < 4.5 * calls(read, chunk * 100)
