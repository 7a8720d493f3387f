"""Text normalisation for search: traditional and simplified spellings match each other."""

from collections.abc import Iterable
from functools import lru_cache

import opencc
from django.utils.translation import gettext


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize_search(text: str) -> str:
    """Fold text to simplified characters and lower case, so 項目 and 项目 compare equal."""
    if not text:
        return ""
    return _to_simplified().convert(text).casefold().strip()


def join_list(items: Iterable[str]) -> str:
    """Items as a list in running text: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    return gettext("、").join(items)


def labelled(label: object, text: object) -> str:
    """A message put after the name of what it is about: 标签：内容 in Chinese, "label: text" in English."""
    return gettext("%(label)s：%(text)s") % {"label": label, "text": text}


def noted(text: object, note: object) -> str:
    """A text with a note after it: 文字（说明） in Chinese, "text (note)" in English."""
    return gettext("%(text)s（%(note)s）") % {"text": text, "note": note}


def mask_phone(phone: str) -> str:
    """The first three and last four digits of a number, the rest starred: 138****5678."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
