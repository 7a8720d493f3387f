import django.db.models.deletion
from django.db import migrations, models

from keyprojects.projects.search import FTS_TABLE, project_values

SQLITE_INDEX = [
    # a copy left by tools that drop the models' tables alone (django-test-migrations) is stale
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(tokens, content='projects_projectsearch', "
    "content_rowid='project_id')",
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON projects_projectsearch BEGIN
        INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (new.project_id, new.tokens); END""",
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON projects_projectsearch BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, tokens) VALUES ('delete', old.project_id, old.tokens); END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE ON projects_projectsearch BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, tokens) VALUES ('delete', old.project_id, old.tokens);
        INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (new.project_id, new.tokens); END""",
]
SQLITE_DROP = [
    *(f"DROP TRIGGER {FTS_TABLE}_{suffix}" for suffix in ("ai", "ad", "au")),
    f"DROP TABLE {FTS_TABLE}",
]
POSTGRESQL_INDEX = [
    "CREATE INDEX projects_search_tokens ON projects_projectsearch "
    "USING gin (array_to_tsvector(string_to_array(tokens, ' ')))"
]
POSTGRESQL_DROP = ["DROP INDEX projects_search_tokens"]


def _run(schema_editor, statements):
    for sql in statements[schema_editor.connection.vendor]:
        schema_editor.execute(sql)


def create_index(apps, schema_editor):
    """The full-text index of the rows' tokens: FTS5 on SQLite, a GIN index of a tsvector on PostgreSQL."""
    _run(schema_editor, {"sqlite": SQLITE_INDEX, "postgresql": POSTGRESQL_INDEX})


def drop_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


def fill(apps, schema_editor):
    """The search rows of the projects so far."""
    project = apps.get_model("projects", "Project")
    row = apps.get_model("projects", "ProjectSearch")
    row.objects.bulk_create(
        row(project_id=p.pk, city_id=p.city_id, **project_values(p))
        for p in project.objects.select_related("owner").iterator(chunk_size=2000)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_rolegrant_province_role'),
        ('projects', '0011_project_is_public'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProjectSearch',
            fields=[
                ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search', serialize=False, to='projects.project')),
                ('name', models.CharField(max_length=200)),
                ('code', models.CharField(max_length=24)),
                ('text', models.TextField()),
                ('pinyin', models.TextField()),
                ('initials', models.TextField()),
                ('tokens', models.TextField()),
                ('city', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.region', verbose_name='所属城市')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='project',
            name='search_text',
        ),
    ]
