"""The database session store, with the idle timeout of the session that signed in: the policy's
`session_idle_minutes` as it was then (`SESSION_COOKIE_AGE` for one that has not signed in)."""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

IDLE_SECONDS = "_idle_seconds"


class SessionStore(DatabaseSessionStore):
    def get_session_cookie_age(self) -> int:
        return int(self.get(IDLE_SECONDS) or settings.SESSION_COOKIE_AGE)
