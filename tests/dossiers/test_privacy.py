"""Applicant data is not stored readably: keyed hashes, masked names."""
import pytest

from dossiers.privacy import conversation_key, hash_phone, mask_name, tail_matches


def test_phone_is_kept_as_keyed_hashes_only():
    hashes = hash_phone("0912 345 678", key=b"k1", salt="s")
    assert "0912345678" not in repr(hashes) and "5678" not in hashes.full + hashes.tail
    assert tail_matches("5678", "s", hashes.tail, key=b"k1")
    assert not tail_matches("5679", "s", hashes.tail, key=b"k1")
    assert not tail_matches("5678", "s", hashes.tail, key=b"another server secret")
    assert not tail_matches("678", "s", hashes.tail, key=b"k1")
    assert hash_phone("0912345678", key=b"k1").salt != hash_phone("0912345678", key=b"k1").salt
    with pytest.raises(ValueError):
        hash_phone("12", key=b"k1")
    with pytest.raises(ValueError):
        hash_phone("0912345678", key=b"")


@pytest.mark.parametrize(
    "name, masked",
    [("Nguyễn Văn An", "Nguyễn V** A*"), ("Lê Thị Thu Hà", "Lê T** T** H*"), ("Trần", "Trần"), ("", "")],
)
def test_names_are_masked(name, masked):
    assert mask_name(name) == masked


def test_conversation_key_does_not_reveal_the_id():
    key = conversation_key("zalo-123", b"k1")
    assert "zalo-123" not in key and len(key) == 32
    assert key == conversation_key("zalo-123", b"k1") != conversation_key("zalo-123", b"k2")
    with pytest.raises(ValueError):
        conversation_key("zalo-123", b"")
