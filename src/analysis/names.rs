//! Name keys: accent and transliteration folding between spellings of the same
//! name (`Loukachenko`/`Lukashenko`, `Sergueï`/`Sergei`) and typo distance on
//! folded keys, used by the corpus linker.
