"""The referral list's month for the web; the list itself is
:func:`tumbuh.usecases.referrals.referral_view` (scoped there). Kept for the web modules
that import :func:`latest_month` from this place."""

from tumbuh.usecases.referrals import latest_month

__all__ = ["latest_month"]
