"""The CJK font the briefing's PDF and charts are set in: Noto Sans SC (SIL Open Font License), carried by the
PyPI package `justmytype-intl-cjk` as one variable font. A variable font's default instance is its thinnest
weight, and cutting an instance takes a minute, so the regular and bold weights are cut once, on first use (or
by `keyprojects buildfonts` at install time), and kept as static TrueType files in `settings.FONT_CACHE_DIR`.
Nothing is fetched at run time."""

import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings

from keyprojects.core.fonts import source_font

FAMILY = "Noto Sans SC"
WEIGHTS = {"regular": 400, "bold": 700}
_lock = threading.Lock()


def _cache_dir() -> Path:
    return Path(getattr(settings, "FONT_CACHE_DIR", Path(settings.MEDIA_ROOT).parent / "fonts"))


def font_file(weight: str = "regular") -> Path:
    """The static TrueType file of `weight` ("regular" or "bold"), cut from the variable font once."""
    source = source_font()
    stamp = int(source.stat().st_mtime)
    target = _cache_dir() / f"NotoSansSC-{WEIGHTS[weight]}-{stamp}.ttf"
    if target.exists():
        return target
    with _lock:
        if not target.exists():
            _cut(source, target, WEIGHTS[weight])
    return target


def _cut(source: Path, target: Path, weight: int) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    target.parent.mkdir(parents=True, exist_ok=True)
    font = instancer.instantiateVariableFont(TTFont(str(source)), {"wght": weight}, updateFontNames=False)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    font.save(temporary)
    os.replace(temporary, target)  # another process cutting the same file at once writes the same bytes
