"""URL converters of the pages."""

from .inputs import ID_MAX


class IdConverter:
    """`<id:pk>`: a row id, which fits a signed 64-bit column; a longer number matches no page (404)
    instead of reaching the database."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)
