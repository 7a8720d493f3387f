from typing import Any

from django.core.management.base import BaseCommand

from keyprojects.briefings.fonts import WEIGHTS, font_file


class Command(BaseCommand):
    help = "Cut the static weights of the briefing's CJK font once (otherwise the first briefing does it)."

    def handle(self, *args: Any, **options: Any) -> None:
        for weight in WEIGHTS:
            self.stdout.write(str(font_file(weight)))
