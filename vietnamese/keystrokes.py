"""Telex and VNI keystrokes typed without an input method, read back as Vietnamese.

A citizen whose input method is off types the keys of Telex ("lamf laij
cancuowcs" for "làm lại căn cước") or VNI ("la2m ho65 chie61u" for "làm hộ
chiếu"). Key tables (vietunicode.sourceforge.net, "Input methods"):

* Telex: aa â, ee ê, oo ô, aw ă, ow ơ, uw ư (uow ươ, a lone w ư), dd đ; tones
  s sắc, f huyền, r hỏi, x ngã, j nặng, typed after the vowel;
* VNI: 6 circumflex, 7 horn, 8 breve, 9 đ (d9); tones 1 sắc, 2 huyền,
  3 hỏi, 4 ngã, 5 nặng.

A word decodes when the keys give one valid syllable (vietnamese.syllables)
that the project's texts use (`is_known`), its tone where the catalogue
writes it; keys that are no syllable may be two glued ones, each opening with
a consonant ("cancuowcs" → "can cước"), written apart.

A message is decoded only when it clearly was typed that way
(`decode_message`): it has no word with marks (an input method was working),
at least MIN_DECODED words decode to known syllables in one scheme, and those
outnumber twice over the words that carry the scheme's keys but do not decode
("H29", "for", "covid19"). Telex needs, besides, one word with a key English
and unaccented Vietnamese do not end or double that way (aa ee oo dd w f j x):
"this is" would read "thí í" on s alone. Only the decoding words change;
"lam ho chieu", "o dau", "viet", English and dossier codes are never keys.
Each word is read once, so a long message costs time in proportion to its
length.

Written here rather than taken from PyPI: the one Vietnamese input-method
library there, bogo, has had no release since 2014 and types keys into a
buffer; this needs only to read a finished word back, in some fifty lines.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

from vietnamese.folding import has_diacritics
from vietnamese.syllables import ACUTE, DOT, GRAVE, HOOK, LEVEL, TILDE, Syllable, compose, is_known, parse

MIN_DECODED = 2
MAX_WORD = 16  # longer runs of letters are not syllables, glued or not

TELEX_TONES = {"s": ACUTE, "f": GRAVE, "r": HOOK, "x": TILDE, "j": DOT}
VNI_TONES = {"1": ACUTE, "2": GRAVE, "3": HOOK, "4": TILDE, "5": DOT}
_PLAIN_VOWELS = set("aeiouy")
_TELEX_SHAPE_KEYS = ("aa", "ee", "oo", "dd", "w")
_STRONG_TONE_KEYS = "fjx"  # "s" and "r" end English words ("is", "for"); these rarely do
_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"u": "ư", "o": "ơ"}


def _syllable(letters: str, tone: str) -> Optional[str]:
    parsed = parse(letters)
    if parsed is None or (tone and parsed.tone):
        return None
    return compose(Syllable(parsed.onset, parsed.rhyme, tone or parsed.tone))


def _telex_shapes(letters: List[str]) -> Optional[str]:
    """Apply dd, aa/ee/oo and w to the keys of one syllable (tone keys already taken out)."""
    out: List[str] = []
    for char in letters:
        previous = out[-1] if out else ""
        if char == "d" and previous == "d" and len(out) == 1:
            out[-1] = "đ"
        elif char in _CIRCUMFLEX and previous == char:
            out[-1] = _CIRCUMFLEX[char]
        elif char == "w":
            if previous == "o" and len(out) >= 2 and out[-2] in "uư":
                out[-2:] = ["ư", "ơ"]
            elif previous in _HORN:
                out[-1] = _HORN[previous]
            elif previous == "a":
                out[-1] = "ă"
            elif previous in ("ư", "ơ", "ă"):
                return None
            elif any(c in "aeiouyâêôăơư" for c in out):
                return None  # "w" after the vowels: not one of its keys
            else:
                out.append("ư")
        else:
            out.append(char)
    return "".join(out)


def telex_syllable(keys: str) -> Optional[str]:
    """The syllable the Telex keys `keys` (lower case ASCII letters) type, or None."""
    if not keys.isalpha() or not keys.isascii() or len(keys) > 8:
        return None
    letters: List[str] = []
    tone = LEVEL
    vowel_seen = False
    for char in keys:
        if vowel_seen and char in TELEX_TONES:
            if tone:
                return None
            tone = TELEX_TONES[char]
            continue
        if char == "z" and vowel_seen:
            return None
        if char in _PLAIN_VOWELS or char == "w":
            vowel_seen = True
        letters.append(char)
    shaped = _telex_shapes(letters)
    return _syllable(shaped, tone) if shaped else None


def vni_syllable(keys: str) -> Optional[str]:
    """The syllable the VNI keys `keys` (lower case ASCII letters and digits) type, or None."""
    if not keys.isalnum() or not keys.isascii() or not keys[0].isalpha() or len(keys) > 10:
        return None
    out: List[str] = []
    tone = LEVEL
    for char in keys:
        if char.isalpha():
            out.append(char)
            continue
        if char in VNI_TONES:
            if tone or not any(c in "aeiouyâêôăơư" for c in out):
                return None
            tone = VNI_TONES[char]
        elif char == "6":
            index = _last(out, "aeo")
            if index is None:
                return None
            out[index] = _CIRCUMFLEX[out[index]]
        elif char == "7":
            index = _last(out, "uo")
            if index is None:
                return None
            if out[index] == "o" and index > 0 and out[index - 1] == "u":
                out[index - 1] = "ư"
            out[index] = _HORN[out[index]]
        elif char == "8":
            index = _last(out, "a")
            if index is None:
                return None
            out[index] = "ă"
        elif char == "9":
            if not out or out[0] != "d":
                return None
            out[0] = "đ"
        else:
            return None
    return _syllable("".join(out), tone)


def _last(chars: Sequence[str], wanted: str) -> Optional[int]:
    for index in range(len(chars) - 1, -1, -1):
        if chars[index] in wanted:
            return index
    return None


def _known(word: Optional[str]) -> bool:
    return word is not None and is_known(word)


def decode_word(word: str, scheme: str) -> Optional[str]:
    """`word` read as `scheme` ("telex" or "vni") keys: a known syllable, or two glued with a space between
    ("cancuowcs" → "can cước"); None when it is not, or when the keys change nothing."""
    lower = word.lower()
    if len(lower) > MAX_WORD:
        return None
    one = telex_syllable if scheme == "telex" else vni_syllable
    whole = one(lower)
    decoded = whole if _known(whole) else None
    if whole is None:
        # Two glued syllables, each opening with a consonant ("ho" + "af" is not "hòa").
        for cut in range(2, len(lower) - 1):
            if lower[cut] in _PLAIN_VOWELS:
                continue
            left, right = one(lower[:cut]), one(lower[cut:])
            if _known(left) and _known(right) and parse(left).onset:
                decoded = f"{left} {right}"
                break
    if decoded is None or decoded == lower:
        return None
    return _match_case(decoded, word)


def _match_case(decoded: str, word: str) -> str:
    if word.isupper() and len(word) > 1:
        return decoded.upper()
    if word[:1].isupper():
        return decoded[:1].upper() + decoded[1:]
    return decoded


def _carries_keys(word: str, scheme: str) -> bool:
    lower = word.lower()
    if scheme == "vni":
        return lower[:1].isalpha() and any(c.isdigit() for c in lower) and not lower.isdigit()
    if not lower.isalpha() or not lower.isascii():
        return False
    first_vowel = next((i for i, c in enumerate(lower) if c in _PLAIN_VOWELS), None)
    after = lower[first_vowel + 1:] if first_vowel is not None else ""
    return any(key in lower for key in _TELEX_SHAPE_KEYS) or any(c in TELEX_TONES for c in after)


def _strong(word: str) -> bool:
    lower = word.lower()
    first_vowel = next((i for i, c in enumerate(lower) if c in _PLAIN_VOWELS), len(lower))
    return any(key in lower for key in _TELEX_SHAPE_KEYS) or any(c in _STRONG_TONE_KEYS for c in lower[first_vowel + 1:])


def decode_message(words: Sequence[str]) -> List[Optional[str]]:
    """For each word of a message, its decoded form, or None to keep it as typed (see the module)."""
    keep: List[Optional[str]] = [None] * len(words)
    if any(has_diacritics(word) for word in words):
        return keep
    best: List[Optional[str]] = keep
    best_count = 0
    for scheme in ("telex", "vni"):
        decoded: List[Optional[str]] = []
        failed = 0
        strong = scheme == "vni"
        for word in words:
            if not _carries_keys(word, scheme):
                decoded.append(None)
                continue
            result = decode_word(word, scheme)
            decoded.append(result)
            if result is None:
                failed += 1
            elif scheme == "telex" and _strong(word):
                strong = True
        count = sum(1 for d in decoded if d is not None)
        if count >= MIN_DECODED and count >= 2 * failed and strong and count > best_count:
            best, best_count = decoded, count
    return best
