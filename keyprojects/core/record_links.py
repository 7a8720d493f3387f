"""Links an app adds beside another app's record without that app knowing it (e.g. 一键反映 beside a monthly
report's problems, from the blockers app): a provider per kind of record, registered in `AppConfig.ready()`,
answers a link for a record and a request, or None; templates ask with `{% record_links "kind" record as links %}`."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class RecordLink:
    label: str | Promise
    url: str


Provider = Callable[[HttpRequest, Any], RecordLink | None]
_providers: dict[str, list[Provider]] = {}


def register_record_link(kind: str, provider: Provider) -> None:
    providers = _providers.setdefault(kind, [])
    if provider not in providers:
        providers.append(provider)


def record_links(request: HttpRequest, kind: str, record: Any) -> list[RecordLink]:
    links = (provider(request, record) for provider in _providers.get(kind, []))
    return [link for link in links if link is not None]
