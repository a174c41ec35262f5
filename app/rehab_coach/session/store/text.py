"""Text as people search it: case and accents ignored ("garcia" finds "García", "Ødegaard" "odegaard")."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter plus an accent.
_NO_DECOMPOSITION = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def folded(text: str) -> str:
    """Lower case, without accents, for comparing what a user typed with a stored name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_NO_DECOMPOSITION)
