from typing import Any

from django.core.management.base import BaseCommand

from keyprojects.briefings.fonts import WEIGHTS, font_file
from keyprojects.core.fonts import web_font_file


class Command(BaseCommand):
    help = (
        "Cut the static weights of the briefing's CJK font and the pages' web font once (otherwise the first "
        "briefing, and the first collectstatic or page that needs the web font, do it)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for weight in WEIGHTS:
            self.stdout.write(str(font_file(weight)))
        self.stdout.write(str(web_font_file()))
