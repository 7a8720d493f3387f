from django.db import migrations

FORWARD = [
    # what the index reads, kept by PostgreSQL itself with every write of `tokens`: a scan reads it rather
    # than building each row's tsvector, and ANALYZE gathers its lexemes' frequencies for the planner
    "ALTER TABLE projects_projectsearch ADD COLUMN vector tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(tokens, ' '))) STORED",
    "CREATE INDEX projects_search_vector ON projects_projectsearch USING gin (vector)",
    "DROP INDEX projects_search_tokens",
]
BACKWARD = [
    "CREATE INDEX projects_search_tokens ON projects_projectsearch "
    "USING gin (array_to_tsvector(string_to_array(tokens, ' ')))",
    "ALTER TABLE projects_projectsearch DROP COLUMN vector",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql)


def forward(apps, schema_editor):
    """On PostgreSQL, the search rows' tsvector as a stored generated column with its GIN index (SQLite keeps
    its FTS5 table)."""
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0016_encrypted_phones"),
    ]

    operations = [migrations.RunPython(forward, backward)]
