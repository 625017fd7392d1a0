"""Rules of the work lists (docs/web.md, "Home pages"): when a case's follow-up counts as
due on a kader's or nutritionist's list.

A follow-up is *due* from :data:`FOLLOW_UP_SOON_DAYS` days before its date: a posyandu
meets once a month and a puskesmas plans its visits by the week, so a follow-up of the
coming week is shown with the session's work; once its date has passed it is overdue
(:func:`tumbuh.growth.cases.overdue`). The week is the programme's working rule, not a
guideline's figure.

Pure: the caller passes today's date in.
"""

from datetime import date, timedelta

FOLLOW_UP_SOON_DAYS = 7  # a follow-up of the coming week is on the list


def follow_up_due(due: date | None, today: date) -> bool:
    """True when a follow-up dated ``due`` falls within the coming week (or has passed)."""
    return due is not None and due <= today + timedelta(days=FOLLOW_UP_SOON_DAYS)
