"""Counting the queries of a request, for the tests that pin them."""

from collections.abc import Callable

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext


def queries_of(get: Callable[[], HttpResponse]) -> int:
    """How many queries `get` takes, asked a second time: the first request also notes a token's use or a
    session's start."""
    get()
    with CaptureQueriesContext(connection) as captured:
        assert get().status_code == 200
    return len(captured)
