from ninja import Schema


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    ok: bool
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    errors: list[ImportErrorOut]
