"""Chinese text takes full-width punctuation (，。：；（）); numbers, codes and units stay half-width. Every
Chinese msgid of the platform — in templates and in the gettext calls of its code — is read, and none may
put a half-width , : ; ( or ) against a Chinese character."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PLATFORM = Path(__file__).resolve().parents[2]
CONFIG = PLATFORM.parent / "config"
CHINESE = r"[\u3400-\u9fff“”、。，：；（）《》]"
HALF_WIDTH_BESIDE_CHINESE = re.compile(rf"{CHINESE}[,:;()]|[,:;()]{CHINESE}")
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
}
TEMPLATE_MSGIDS = (
    re.compile(r"\{%\s*(?:translate|trans)\s+(?:\"([^\"]*)\"|'([^']*)')"),
    re.compile(
        r"\{%\s*(?:blocktranslate|blocktrans)\b[^%]*%\}(.*?)\{%\s*end(?:blocktranslate|blocktrans)\s*%\}",
        re.S,
    ),
    re.compile(r"\b_\((?:\"([^\"]*)\"|'([^']*)')\)"),
)


def sources(suffix: str) -> Iterator[Path]:
    for root in (PLATFORM, CONFIG):
        for path in sorted(root.rglob(f"*{suffix}")):
            if not {"tests", "migrations"} & set(path.relative_to(root).parts):
                yield path


def template_msgids(path: Path) -> Iterator[str]:
    text = path.read_text(encoding="utf-8")
    for pattern in TEMPLATE_MSGIDS:
        for match in pattern.finditer(text):
            yield next(group for group in match.groups() if group is not None)


def code_msgids(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in GETTEXT:
            for argument in node.args:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    yield argument.value


def test_chinese_msgids_take_full_width_punctuation():
    found = [
        f"{path}: {msgid}"
        for suffix, msgids in ((".html", template_msgids), (".py", code_msgids))
        for path in sources(suffix)
        for msgid in msgids(path)
        if HALF_WIDTH_BESIDE_CHINESE.search(msgid)
    ]
    assert found == []


def test_the_scan_reads_templates_and_code():
    assert "项目库" in set(template_msgids(PLATFORM / "projects" / "templates" / "projects" / "list.html"))
    assert "请修正标出的错误" in set(code_msgids(PLATFORM / "accounts" / "services.py"))
    assert any("令牌" in msgid for msgid in code_msgids(CONFIG / "api.py"))
    assert HALF_WIDTH_BESIDE_CHINESE.search("总投资(万元)") and HALF_WIDTH_BESIDE_CHINESE.search("失败,已")
    for fine in ("总投资（万元）", "2026-03-01", "%(n)s个", "开工率71.8%", "1,000万元"):
        assert not HALF_WIDTH_BESIDE_CHINESE.search(fine), fine
