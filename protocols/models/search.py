"""The requester's name as the inbox search compares it: lower case, without the
accents of Portuguese — "JOSÉ ÁVILA" → "jose avila".

The database computes the stored column (`Protocol.requester_name_key`, a generated
column) with `NameKey`; `name_key` does the same in Python for the typed term. Both
use the one table below, so a term and a name fold alike on PostgreSQL and SQLite.
Migrations import `NameKey`: keep its path.
"""

from django.db import models
from django.db.models.functions import Replace, StrIndex, Substr

# The letters of Portuguese (ü of older spellings). Upper case too: SQLite's LOWER()
# folds ASCII letters only. SQLite nests one REPLACE() per letter and its parser
# overflows past about 28: a longer table does not fit there.
_ACCENTED = "áàâãéêíóôõúüç"
_PLAIN = "aaaaeeiooouuc"
FOLD_FROM = _ACCENTED + _ACCENTED.upper()
FOLD_TO = _PLAIN + _PLAIN
_TABLE = str.maketrans(FOLD_FROM, FOLD_TO)


def name_key(text: object) -> str:
    """Lower case, accents folded, runs of spaces as one space, trimmed."""
    return " ".join(str(text or "").lower().translate(_TABLE).split())


class NameKey(models.Func):
    """LOWER() and the accent table, in SQL (immutable: usable in a generated column).
    The intake already collapses spaces in names (protocols.requester)."""

    function = "LOWER"
    output_field = models.CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return f"TRANSLATE({sql}, '{FOLD_FROM}', '{FOLD_TO}')", params

    def as_sql(self, compiler, connection, **extra_context):  # SQLite: no TRANSLATE()
        sql, params = super().as_sql(compiler, connection, **extra_context)
        for accented, plain in zip(FOLD_FROM, FOLD_TO, strict=True):
            sql = f"REPLACE({sql}, '{accented}', '{plain}')"
        return sql, params


def surnames_key(field: str = "requester_name_key") -> Replace:
    """The key after its first word, its spaces written as "0" ("maria da silva" →
    "da0silva"; a one-word name stays whole). The inbox looks for text inside a name
    here, through a trigram index on this very expression (PostgreSQL). Leaving out the
    first name keeps the common first names out of every surname search, and with
    "0" — part of a word to pg_trgm, unlike a space — the trigrams span word boundaries:
    "souza lima" then matches names with "souza0lima", not every name that merely has
    a Souza and a Lima in it. Search terms go through surnames_term()."""
    return Replace(
        Substr(field, StrIndex(field, models.Value(" ")) + 1), models.Value(" "), models.Value("0")
    )


def surnames_term(key: str) -> str:
    """A folded search term (name_key) as surnames_key() writes it."""
    return key.replace(" ", "0")
