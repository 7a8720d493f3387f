from pathlib import Path

from django import forms

from keyprojects.core.errors import ApplicationError, StaleVersionError
from keyprojects.core.forms import BootstrapForm, refused
from keyprojects.projects.models import Project

APPS = Path(__file__).resolve().parents[2]


class NoteForm(BootstrapForm):
    note = forms.CharField()
    choice = forms.ChoiceField(choices=[("a", "A")])


class ProjectNoteForm(NoteForm):
    label_model = Project


def test_widgets_get_bootstrap_classes_and_errors_go_beside_their_fields():
    form = NoteForm({"note": "x", "choice": "a"})
    assert form.fields["note"].widget.attrs["class"] == "form-control"
    assert form.fields["choice"].widget.attrs["class"] == "form-select"
    form.is_valid()
    form.apply_error(ApplicationError("refused", errors={"note": ["too short"], "__all__": ["no"]}))
    assert form.errors["note"] == ["too short"]
    assert form.non_field_errors() == ["no"]
    assert "is-invalid" in form.fields["note"].widget.attrs["class"]


def test_messages_about_fields_not_on_the_form_name_the_field_of_the_record():
    plain, labelled = NoteForm({"note": "x", "choice": "a"}), ProjectNoteForm({"note": "x", "choice": "a"})
    for form in (plain, labelled):
        form.is_valid()
        form.apply_error(
            ApplicationError("refused", errors={"total_investment": ["太大"], "reason": ["必填"]})
        )
    assert plain.non_field_errors() == ["太大", "必填"]
    assert labelled.non_field_errors() == ["总投资（万元）：太大", "必填"]


def test_a_stale_refusal_offers_to_reload():
    form = NoteForm({"note": "x", "choice": "a"})
    form.is_valid()
    assert refused(form, StaleVersionError("changed")) == {"stale": True}
    assert refused(form, ApplicationError("no")) == {"stale": False}


def test_every_form_renders_through_the_core_partials():
    templates = list(APPS.glob("*/templates/**/*.html"))
    assert templates
    for path in templates:
        text = path.read_text()
        assert "projects/_field.html" not in text and "projects/_form_errors.html" not in text, path
