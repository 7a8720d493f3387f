"""Pieces shared by the `keyprojects` management commands."""

import argparse
import datetime

from django.utils.translation import gettext as _


def iso_date(value: str) -> datetime.date:
    """argparse type for `--date YYYY-MM-DD`, refusing anything else with a message in the user's language."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("日期格式应为 YYYY-MM-DD:%(value)s") % {"value": value}) from None
