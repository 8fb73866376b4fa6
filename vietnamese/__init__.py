"""Vietnamese text tools shared by the NLU and the catalogue search.

The bottom layer: imports nothing of the project.

* `words`: the word regex (`WORD_RE`), `words`, `has_content`;
* `folding`: Unicode NFC and the folded form (lower case, no diacritics,
  "đ" → "d") in which search compares texts;
* `abbreviations`: THE table of abbreviations and chat spellings, accented,
  with the folded table the search uses derived from it;
* `syllables`: the shape of a Vietnamese syllable, its tone placement, and
  the syllables the project's texts use (data/syllables.txt);
* `characters`: invisible characters, look-alike letters and digits of
  other scripts;
* `keystrokes`: Telex and VNI keys typed with the input method off;
* `hashtags`: the OA menu's keyword commands ("#tracuuhoso");
* `normalize`: the NLU's span-keeping normaliser and the search's folded,
  abbreviation-expanded query words, both reading the text through the same
  steps and the one table.
"""
