"""The platform's CJK font: Noto Sans SC (SIL Open Font License), carried by the PyPI package
`justmytype-intl-cjk` as one variable font (all weights, 17 MB). Pages are set in it whatever fonts the
reader's machine has, so every machine shows the same pages; nothing is fetched at run time.

Browsers get a subset of it as WOFF2, static file `fonts/NotoSansSC-web.woff2` (`@font-face` in `keyprojects/fonts.css`):
the 3,755 characters of GB2312 level 1, every CJK character the platform's own templates, messages and demo
data use, ASCII and the punctuation of Chinese text; the weight axis kept, so bold is true bold. It weighs
about 1.1 MB (the full GB2312 set would be 1.9 MB) and takes about 20 s to cut, once per set of characters:
by `keyprojects buildfonts` at install time, else by the first `collectstatic` or request that needs it.
A character outside it (a rare one in a project's name) falls back to the machine's own fonts."""

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

WEB_FONT = "fonts/NotoSansSC-web.woff2"
_SOURCE = ("fonts", "ofl", "notosanssc", "NotoSansSC[wght].ttf")
_PLATFORM = Path(__file__).resolve().parent.parent  # the installed `keyprojects` package
_CJK = re.compile(r"[\u2010-\u206f\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_TEXT_FILES = {".html", ".py", ".po", ".txt"}
_ALWAYS = "".join(map(chr, range(0x20, 0x7F))) + "·×÷±≤≥°›‹←→↑↓√"
_lock = threading.Lock()


def source_font() -> Path:
    return Path(str(files("justmytype_intl_cjk").joinpath(*_SOURCE)))


def gb2312_level1() -> str:
    """The 3,755 common characters of GB 2312 (rows 16–55), in its order."""
    rows = (bytes([row, cell]) for row in range(0xB0, 0xD8) for cell in range(0xA1, 0xFF))
    return "".join(code.decode("gb2312", errors="ignore") for code in rows)


def platform_characters() -> str:
    """Every CJK character and punctuation mark of the platform's templates, code and catalogues."""
    found: set[str] = set()
    for path in _PLATFORM.rglob("*"):
        if path.suffix in _TEXT_FILES and path.is_file():
            found.update(_CJK.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return "".join(sorted(found))


def web_font_characters() -> str:
    return "".join(sorted(set(_ALWAYS + gb2312_level1() + platform_characters())))


@cache
def web_font_file() -> Path:
    """The subset WOFF2, cut when missing; it is kept under a digest of the source and the characters, so
    new characters in the templates or a new font package make a new file."""
    return build_web_font(web_font_characters(), Path(settings.FONT_CACHE_DIR) / "web")


def build_web_font(characters: str, directory: Path) -> Path:
    source = source_font()
    digest = hashlib.sha256(f"{source.stat().st_mtime_ns}:{characters}".encode()).hexdigest()[:12]
    target = directory / digest / WEB_FONT.rsplit("/", 1)[1]
    if not target.exists():
        with _lock:
            if not target.exists():
                _cut(source, target, characters)
    return target


def _cut(source: Path, target: Path, characters: str) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    target.parent.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    font = TTFont(str(source))
    subsetter.subset(font)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    font.flavor = "woff2"
    font.save(temporary)
    os.chmod(temporary, 0o644)  # a static file, read by whoever serves it
    os.replace(temporary, target)  # another process cutting the same file at once writes the same bytes


class WebFontFinder(BaseFinder):
    """Serves the web font as the static file `WEB_FONT`, to whitenoise and to `collectstatic` alike."""

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...

    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        if path != WEB_FONT:
            return [] if find_all else None
        found = str(web_font_file())
        return [found] if find_all else found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        built = web_font_file()
        storage = FileSystemStorage(location=built.parent)
        storage.prefix = WEB_FONT.rsplit("/", 1)[0]  # type: ignore[attr-defined]
        yield built.name, storage
