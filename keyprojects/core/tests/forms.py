"""A rendered form's values as a browser would send them untouched, for tests that post a page's form back; the
edit-conflict merge a page offers."""

import html
import re


def form_fields(page: str, start: str = '<form method="post"') -> dict[str, list[str]]:
    """The values of the first form of `page` whose tag begins with `start` (inputs, checked boxes, selects,
    textareas)."""
    data: dict[str, list[str]] = {}
    form = page[page.index(start) :]
    form = form[: form.index("</form>")]
    for tag in re.finditer(r"<input[^>]*>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group(0)))
        if "name" not in attrs or attrs.get("type") in {"submit", "file"}:
            continue
        if attrs.get("type") == "checkbox" and "checked" not in tag.group(0):
            continue
        default = "on" if attrs.get("type") == "checkbox" else ""  # a box without a value sends "on"
        data.setdefault(attrs["name"], []).append(html.unescape(attrs.get("value", default)))
    for select in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        data[select.group(1)] = chosen or [""]
    for area in re.finditer(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[area.group(1)] = [html.unescape(area.group(2).strip())]
    return data


def merge_saved(page: str) -> str:
    """The edit-conflict merge's list of who saved what since the form was rendered (`core/_merge.html`)."""
    found = re.search(r'id="merge-saved">(.*?)</ul>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def merge_offered(page: str) -> dict[str, tuple[str, str]]:
    """The merge's offer: each field the user typed, the latest value beside the user's."""
    rows = re.findall(r'data-merge="(\w+)">\s*<td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>', page)
    return {name: (html.unescape(latest), html.unescape(typed)) for name, latest, typed in rows}
