"""Text normalisation for search: traditional and simplified spellings match each other."""

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize_search(text: str) -> str:
    """Fold text to simplified characters and lower case, so 項目 and 项目 compare equal."""
    if not text:
        return ""
    return _to_simplified().convert(text).casefold().strip()
