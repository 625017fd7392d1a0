"""The order of the lists of children to act on: referral, counselling and
re-measure (docs/surveillance.md, "Lists of children").

A list shows the most urgent child first: its most severe reason (the earliest in the
order :class:`~tumbuh.growth.referrals.ReferralReason` declares, most severe first), then
by age in completed months, youngest first, then by name and record, so a list comes out
in the same order every time.
"""

from collections.abc import Iterable

from tumbuh.growth.referrals import ReferralReason


def severity(reasons: Iterable[ReferralReason]) -> int:
    """The rank of the most severe of ``reasons`` (0: the most severe reason there is);
    a child with no reason ranks after every reason."""
    return min((reason.severity for reason in reasons), default=len(ReferralReason))


def list_key(
    reasons: Iterable[ReferralReason], age_months: int, name: str, child_id: int
) -> tuple[int, int, str, int]:
    """Sort key of a child on a list: severity, then age in completed months (youngest
    first), then name (case-insensitive), then the record's id (two children of one name)."""
    return severity(reasons), age_months, name.casefold(), child_id
