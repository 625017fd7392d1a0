"""The order of the lists of children: the most severe reason first (the enum's order),
then the youngest, then by name and record."""

from tumbuh.growth.child_lists import list_key, severity
from tumbuh.growth.referrals import ReferralReason

ORDER = list(ReferralReason)
MOST, LEAST = ORDER[0], ORDER[-1]


def test_the_most_severe_reason_decides_a_childs_rank() -> None:
    assert severity([LEAST, MOST]) == 0
    assert severity([LEAST]) == len(ORDER) - 1
    assert [severity([reason]) for reason in ORDER] == list(range(len(ORDER)))


def test_a_child_without_a_reason_ranks_after_every_reason() -> None:
    assert severity([]) == len(ORDER)


def test_severity_comes_before_age_and_age_before_name() -> None:
    children = [
        ("Citra", (LEAST,), 3, 1),
        ("Ayu", (LEAST,), 30, 2),
        ("budi", (LEAST, MOST), 40, 3),
        ("Bunga", (LEAST,), 3, 4),
        ("Bunga", (LEAST,), 3, 5),
    ]
    ordered = sorted(children, key=lambda c: list_key(c[1], c[2], c[0], c[3]))
    assert [(name, child_id) for name, _, _, child_id in ordered] == [
        ("budi", 3),  # the most severe reason, though the oldest
        ("Bunga", 4),  # 3 months: Bunga before Citra, by name regardless of case
        ("Bunga", 5),  # same name: the record's id
        ("Citra", 1),
        ("Ayu", 2),
    ]
