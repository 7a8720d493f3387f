"""The one error type every interface (pages, API, commands) knows how to show."""

from django.utils.functional import Promise

Message = str | Promise


class ApplicationError(Exception):
    """A domain rule refused an action.

    `message` is shown to the user; `errors` maps field names to messages so forms and the API can
    place each message beside its field. The `"__all__"` key carries messages that belong to no field.
    """

    status = 422

    def __init__(self, message: Message, *, errors: dict[str, list[Message]] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.errors = errors or {}

    def field_messages(self) -> dict[str, list[str]]:
        if not self.errors:
            return {"__all__": [str(self.message)]}
        return {field: [str(m) for m in messages] for field, messages in self.errors.items()}


class StaleVersionError(ApplicationError):
    """The object changed since the client read it (optimistic concurrency)."""

    status = 412


class PreconditionRequiredError(ApplicationError):
    """An update came without the version it was based on."""

    status = 428
