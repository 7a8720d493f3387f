"""The commands speak Chinese, and English through the catalogue."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "未恢复：备份文件 {path} 不存在"),
        ("en", "Not restored: The backup file {path} does not exist"),
    ],
)
def test_a_missing_backup_is_named_in_the_readers_language(tmp_path, language, message):
    path = tmp_path / "missing.tar"
    with translation.override(language), pytest.raises(CommandError) as refused:
        call_command("restore", str(path))
    assert str(refused.value) == message.format(path=path)
