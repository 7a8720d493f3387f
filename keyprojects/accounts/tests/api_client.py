"""A test client that speaks to /api/v1/ as a given user, with a bearer token as real clients do."""

import json
from typing import Any

from django.test import Client

from keyprojects.accounts.models import ApiToken, User

API = "/api/v1"


class ApiClient:
    def __init__(self, user: User | None = None, *, language: str | None = None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _, raw = ApiToken.issue(user=user)
            self.headers["Authorization"] = f"Bearer {raw}"
        if language:
            self.headers["Accept-Language"] = language

    def request(self, method: str, path: str, data: Any = None, **headers: str) -> Any:
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if method == "get":
            kwargs["data"] = data
        elif data is not None:
            kwargs["data"] = json.dumps(data)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(f"{API}{path}", **kwargs)

    def get(self, path: str, data: Any = None, **headers: str) -> Any:
        return self.request("get", path, data, **headers)

    def post(self, path: str, data: Any = None, **headers: str) -> Any:
        return self.request("post", path, data, **headers)

    def patch(self, path: str, data: Any = None, **headers: str) -> Any:
        return self.request("patch", path, data, **headers)

    def put(self, path: str, data: Any = None, **headers: str) -> Any:
        return self.request("put", path, data, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self.request("delete", path, **headers)
