"""The root of the REST API: it only wires each app's router and maps errors once."""

from ninja import NinjaAPI

api = NinjaAPI(title="keyprojects API", version="1", urls_namespace="api")
