"""Vietnamese text tools shared by the NLU and the catalogue search.

The bottom layer: imports nothing of the project.

* `words`: the word regex (`WORD_RE`), `words`, `has_content`;
* `folding`: Unicode NFC and the folded form (lower case, no diacritics,
  "đ" → "d") in which search compares texts;
* `abbreviations`: THE table of abbreviations and chat spellings, accented,
  with the folded table the search uses derived from it;
* `normalize`: the NLU's span-keeping normaliser and the search's folded,
  abbreviation-expanded query words, both reading the one table.
"""
