import pytest

from keyprojects.core.errors import PreconditionRequiredError, StaleVersionError
from keyprojects.core.versions import check_tag, check_version, digest_tag, etag_of, require_version


class Record:
    version = 3


def test_a_version_goes_out_quoted_and_a_state_as_a_digest():
    assert etag_of(Record()) == '"3"'
    tag = digest_tag("1=100;2=200")
    assert tag.startswith('"') and tag.endswith('"') and len(tag) == 18
    assert digest_tag("1=100;2=200") == tag != digest_tag("1=100")


def test_an_update_needs_the_version_it_was_based_on_and_only_that_one():
    with pytest.raises(PreconditionRequiredError):
        require_version(None, missing="须提供版本")
    assert require_version(0, missing="须提供版本") == 0
    check_version(3, 3, stale="已被他人修改")
    with pytest.raises(StaleVersionError, match="已被他人修改"):
        check_version(4, 3, stale="已被他人修改")
    tag = digest_tag("x")
    check_tag(tag, tag, stale="已被他人修改")
    check_tag(tag, f" W/{tag}", stale="已被他人修改")
    with pytest.raises(StaleVersionError):
        check_tag(tag, digest_tag("y"), stale="已被他人修改")


def test_the_stale_message_may_be_written_from_the_record_as_it_now_is():
    written = []
    check_version(3, 3, stale=lambda: written.append("called") or "x")
    assert written == []
    with pytest.raises(StaleVersionError, match="现为第4版"):
        check_version(4, 3, stale=lambda: "现为第4版")
