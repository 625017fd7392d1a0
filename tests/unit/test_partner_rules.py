"""The partners' rules (docs/tpps.md): what the forms send is read with field errors that
name the field, the value and what is accepted; closing an action asks what was done; the
TPPS's order puts overdue actions first; every word users read has its Indonesian."""

from datetime import date

import pytest

from tumbuh import partner_labels
from tumbuh.growth.partners import (
    PARTNER_TEMPLATES,
    PartnerProblem,
    overdue_first,
    read_commitment,
    read_institution,
    read_meeting,
    read_progress,
)
from tumbuh.growth.tpps import ActionStatus, InstitutionKind
from tumbuh.i18n import Language, translations

TODAY = date(2025, 3, 1)
ID = translations(Language.ID).gettext


def test_a_camats_office_needs_its_kecamatan_and_others_keep_none() -> None:
    typed, errors = read_institution({"name": "Kecamatan Cibeber", "kind": "kecamatan"})
    assert typed is None
    assert [(e.problem, e.field) for e in errors] == [(PartnerProblem.MISSING, "region")]
    typed, errors = read_institution(
        {"name": " Polres  Cilegon ", "kind": "police", "region": "36.72.01"}
    )
    assert errors == []
    assert typed is not None
    assert (typed.name, typed.kind, typed.region) == (
        "Polres Cilegon",
        InstitutionKind.POLICE,
        None,
    )


def test_a_commitment_is_due_after_it_was_agreed_and_its_budget_is_whole_rupiah() -> None:
    raw = {
        "action": "Dana dapur umum",
        "institution": "3",
        "agreed_on": "2024-11-26",
        "due_on": "2024-11-01",
        "budget_rupiah": "7.500.000,50",
    }
    typed, errors = read_commitment(raw)
    assert typed is None
    assert [(e.problem, e.field, e.value, e.accepted) for e in errors] == [
        (PartnerProblem.DUE_BEFORE, "due_on", "2024-11-01", "2024-11-26"),
        (PartnerProblem.NOT_WHOLE_RUPIAH, "budget_rupiah", "7.500.000,50", "7.500.000"),
    ]
    typed, errors = read_commitment(
        {**raw, "due_on": "2025-03-31", "budget_rupiah": "Rp 7.500.000"}
    )
    assert errors == []
    assert typed is not None
    assert typed.budget_rupiah == 7_500_000
    assert typed.kelurahan is None  # the whole city


def test_closing_an_action_asks_what_was_done_and_a_day_not_in_the_future() -> None:
    progress, errors = read_progress({"status": "done", "done_on": "2025-03-02"}, TODAY)
    assert progress is None
    assert [e.problem for e in errors] == [
        PartnerProblem.DELIVERED_MISSING,
        PartnerProblem.DAY_IN_FUTURE,
    ]
    message = partner_labels.error_text(errors[0], ID)
    assert message.startswith("Yang sudah dilaksanakan: tuliskan apa yang sudah dilaksanakan")
    assert message.endswith("sebagai Selesai (terlaksana)")
    progress, errors = read_progress({"status": "done", "delivered": "20 paket"}, TODAY)
    assert errors == []
    assert progress is not None
    assert progress.done_on == TODAY
    progress, _ = read_progress({"status": "in_progress", "done_on": "2025-02-01"}, TODAY)
    assert progress is not None
    assert progress.done_on is None


def test_a_meeting_reads_its_attendees_by_number() -> None:
    raw = {"held_on": "2024-11-26", "kind": "tpps", "title": "Rapat TPPS"}
    meeting, errors = read_meeting(raw, ["3", "1", "3"])
    assert errors == []
    assert meeting is not None
    assert meeting.attendees == (1, 3)
    meeting, errors = read_meeting({**raw, "kind": "party"}, ["x"])
    assert meeting is None
    assert [e.problem for e in errors] == [
        PartnerProblem.NOT_A_CHOICE,
        PartnerProblem.UNKNOWN_INSTITUTION,
    ]


def test_overdue_actions_come_first_then_open_then_closed() -> None:
    keys = {
        "done": overdue_first(ActionStatus.DONE, date(2025, 1, 1), TODAY),
        "undated": overdue_first(ActionStatus.PLANNED, None, TODAY),
        "later": overdue_first(ActionStatus.PLANNED, date(2025, 6, 1), TODAY),
        "late": overdue_first(ActionStatus.IN_PROGRESS, date(2025, 2, 1), TODAY),
        "later_late": overdue_first(ActionStatus.PLANNED, date(2025, 2, 20), TODAY),
    }
    assert sorted(keys, key=keys.__getitem__) == ["late", "later_late", "later", "undated", "done"]


WORDS = sorted(
    {
        *partner_labels.INSTITUTION_KIND_NAMES.values(),
        *partner_labels.ACTION_KIND_NAMES.values(),
        *partner_labels.STATUS_NAMES.values(),
        *partner_labels.MEETING_KIND_NAMES.values(),
        *partner_labels.FIELD_NAMES.values(),
        *PARTNER_TEMPLATES.values(),
        "auditor",
    }
    - {"Kind", "Active"}  # translated elsewhere already
)


@pytest.mark.parametrize("message_id", WORDS)
def test_every_word_of_the_partners_has_its_indonesian(message_id: str) -> None:
    assert ID(message_id) != message_id


def test_the_auditor_role_is_the_audit_team() -> None:
    assert ID("auditor") == "Tim audit"
