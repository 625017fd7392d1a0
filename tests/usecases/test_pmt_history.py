"""Importing e-PPGBM's PMT history files as episodes (SQLite and PostgreSQL): children
found by NIK within the user's area, pregnancy rows as episodes without a child, nothing
added twice, everything or nothing written, audited and recorded as an import run."""

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.db.test_imports_fixtures import (
    CIKERAI,
    checksum,
    engine_fixture,  # noqa: F401 - the fixtures of this module
    fetch,
    import_url_fixture,  # noqa: F401
    run_import,
    settings_fixture,  # noqa: F401
    xlsx,
)
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, row_of
from tests.unit.ingest.pmt_builders import CHILD, MOTHER, PREGNANCY, TODDLER, row, write_history
from tumbuh.config import Settings
from tumbuh.db import pmt_imports
from tumbuh.db.audit import Actor
from tumbuh.db.models import (
    Family,
    ImportFile,
    ImportRun,
    Measurement,
    Mother,
    Pregnancy,
    table_of,
)
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_pmt import PmtEpisode
from tumbuh.i18n import Language
from tumbuh.usecases.access import NotAllowed, Role, Scope
from tumbuh.usecases.cases import COMMAND_LINE_SCOPE
from tumbuh.usecases.pmt_history import HistoryImportResult, HistoryOutcome, import_pmt_history

TODAY = date(2024, 9, 1)
GIKUR = "Daftar-Riwayat-PMT-Gikur.xls"
BUMIL = "Daftar-Riwayat-PMT-Ibu-Hamil-240926092628.xls"
ACTOR = Actor("cli:test")
KEDALEMAN = "36.72.01.1002"
GEREM = "36.72.06.1004"


def _scope(role: Role, *kelurahan: str) -> Scope:
    return Scope(
        role, frozenset(kelurahan), None, True, True, True, role is Role.NUTRITIONIST, False
    )


def _history(
    engine: Engine, path: Path, scope: Scope = COMMAND_LINE_SCOPE, **options: object
) -> HistoryImportResult:
    options = {"today": TODAY, **options}
    settings = Settings(database_url=str(engine.url), city_code="36.72", language="id")
    with engine.connect() as connection:
        return import_pmt_history(
            connection,
            scope,
            path,
            settings=settings,
            actor=ACTOR,
            **options,  # type: ignore[arg-type]
        )


def _lines(result: HistoryImportResult) -> list[tuple[object, ...]]:
    return [line.cells(Language.ID)[1:] for line in result.report.lines]


def _register_siti(folder: Path, engine: Engine, settings: Settings) -> int:
    """Siti (GOOD_A's NIK) measured on 17 August 2024 in Cikerai; her measurement's id."""
    path = xlsx(folder, "hasil.xlsx", LAYOUT_A, [row_of(LAYOUT_A, GOOD_A)])
    assert run_import([path], engine, settings).ok
    [(measurement,)] = fetch(engine, table_of(Measurement), "id")
    return int(measurement)


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def test_a_toddler_history_adds_episodes_to_the_children_it_finds(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    measurement = _register_siti(tmp_path, engine, settings)
    rows = [
        row(TODDLER, CHILD, Tanggal_Pengukuran_Awal="17/08/2024"),
        row(TODDLER, CHILD, NIK="3672011203230002", Nama="Budi"),  # nobody has this NIK
    ]
    path = write_history(_folder(tmp_path, "a") / GIKUR, TODDLER, rows)
    blocked = _history(engine, path)
    assert blocked.outcome is HistoryOutcome.BLOCKED
    assert _lines(blocked) == [
        (3, "NIK", "(tidak ditampilkan)", "error",  # the NIK is personal data, never shown
         "tidak ada anak dengan NIK ini yang terdaftar di wilayah Anda; impor dulu hasil "
         "pengukuran e-PPGBM anak itu, atau periksa NIK dengan KK"),
    ]  # fmt: skip
    assert fetch(engine, table_of(PmtEpisode), "id") == []
    result = _history(engine, path, skip_invalid=True)
    assert result.outcome is HistoryOutcome.IMPORTED
    counts = result.counts
    assert (counts.rows_read, counts.episodes_added, counts.rows_skipped) == (2, 1, 1)
    assert counts.baselines_linked == 1
    [stored] = fetch(
        engine, table_of(PmtEpisode), "id", "indication", "rules_version", "started_on",
        "planned_days", "ended_on", "funding", "partner", "cycle", "baseline_measurement_id",
        "pregnancy_id", "exit", "import_key",
    )  # fmt: skip
    assert stored[1:12] == (
        "wasted", "2023", date(2024, 8, 17), 56, None, "dak", "TP PKK Kelurahan Cikerai", 1,
        measurement, None, None,
    )  # fmt: skip
    assert str(stored[12]).startswith("toddler:")
    run = result.import_run_id
    runs = fetch(engine, table_of(ImportRun), "id", "rows_read", "rows_skipped", "actor")
    assert (run, 2, 1, "cli:test") in runs
    files = fetch(engine, table_of(ImportFile), "import_run_id", "layout", "row_count", "file_name")
    assert (run, "pmt-riwayat-balita", 1, GIKUR) in files
    audits = fetch(
        engine, table_of(AuditEntry), "id", "entity", "entity_id", "import_run_id", "after"
    )
    audits = [a for a in audits if a[3] == run]
    assert [(a[1], a[2]) for a in audits] == [("pmt_episode", stored[0]), ("import", run)]
    after = json.loads(str(audits[0][4]))
    assert (after["indication"], after["started_on"], after["funding"]) == (
        "wasted", "2024-08-17", "dak"
    )  # fmt: skip


def test_nothing_is_added_twice_and_open_episodes_do_not_overlap(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    _register_siti(tmp_path, engine, settings)
    gikur = write_history(_folder(tmp_path, "a") / GIKUR, TODDLER, [row(TODDLER, CHILD)])
    assert _history(engine, gikur).counts.episodes_added == 1  # 5 June + 56 days: ended
    again = _history(engine, gikur)
    assert again.ok
    assert (again.counts.episodes_added, again.counts.episodes_present) == (0, 1)
    first, present = [line[3:] for line in _lines(again)]
    assert first[0] == "peringatan"
    assert str(first[1]).startswith("berkas ini sudah pernah diimpor pada ")  # the day it was
    assert present == (
        "peringatan",
        "episode ini sudah tercatat (anak, PMT, dan tanggal mulai yang sama); tidak "
        "ditambahkan lagi",
    )
    # the same child in the T list, still running (20 August + 14 days), twice over
    late = [row(TODDLER, CHILD, Tanggal_Pengukuran_Awal="20/08/2024")]
    t_file = write_history(_folder(tmp_path, "t") / "Daftar Riwayat T.xls", TODDLER, late)
    assert _history(engine, t_file).counts.episodes_added == 1
    later = [row(TODDLER, CHILD, Tanggal_Pengukuran_Awal="25/08/2024")]
    uw = write_history(
        _folder(tmp_path, "u") / "Daftar-Riwayat-PMT-Underweight.xls", TODDLER, later
    )
    refused = _history(engine, uw)
    assert refused.outcome is HistoryOutcome.BLOCKED
    assert [line[3:] for line in _lines(refused)] == [
        ("error", "anak ini sudah memiliki episode PMT yang berjalan sejak 20/08/2024; episode "
                  "ini juga belum berakhir, sehingga tidak dapat ditambahkan di sampingnya; "
                  "akhiri dulu episode yang lain"),
    ]  # fmt: skip
    episodes = fetch(engine, table_of(PmtEpisode), "started_on", "indication", "ended_on")
    assert episodes == [
        (date(2024, 6, 5), "wasted", date(2024, 7, 30)),
        (date(2024, 8, 20), "faltering", None),
    ]


def test_a_pregnancy_history_adds_women_pregnancies_and_episodes_without_a_child(
    tmp_path: Path, engine: Engine
) -> None:
    rows = [
        row(PREGNANCY, MOTHER),
        row(PREGNANCY, MOTHER, Tanggal_Pemberian_Pertama="01/07/2024", Siklus_PMT="2",
            Tanggal_Selesai=None, Status_PMT="-"),
    ]  # fmt: skip
    path = write_history(_folder(tmp_path, "a") / BUMIL, PREGNANCY, rows)
    result = _history(engine, path, today=date(2024, 9, 30))
    assert result.ok, _lines(result)
    counts = result.counts
    assert (counts.episodes_added, counts.mothers_added, counts.pregnancies_added) == (2, 1, 1)
    [(mother, nik, name, family)] = fetch(
        engine, table_of(Mother), "id", "nik", "name", "family_id"
    )
    assert (nik, name) == ("3672014506990003", "Dewi Lestari")
    assert fetch(engine, table_of(Family), "id", "kelurahan_code") == [(family, KEDALEMAN)]
    [(pregnancy, of)] = fetch(engine, table_of(Pregnancy), "id", "mother_id")
    assert of == mother
    episodes = fetch(
        engine, table_of(PmtEpisode), "started_on", "child_id", "pregnancy_id", "indication",
        "rules_version", "planned_days", "ended_on", "cycle",
    )  # fmt: skip
    assert episodes == [
        (date(2024, 6, 10), None, pregnancy, "pregnant_kek", "2023", 120, date(2024, 9, 8), 1),
        (date(2024, 7, 1), None, pregnancy, "pregnant_kek", "2023", 120, None, 2),
    ]
    again = _history(engine, path, today=date(2024, 9, 30))
    assert (again.counts.episodes_added, again.counts.episodes_present) == (0, 2)
    assert (again.counts.mothers_added, again.counts.pregnancies_added) == (0, 0)
    assert len(fetch(engine, table_of(Mother), "id")) == 1


def test_an_area_imports_only_its_own_rows(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    _register_siti(tmp_path, engine, settings)
    gerem = _scope(Role.NUTRITIONIST, GEREM)
    child = write_history(_folder(tmp_path, "a") / GIKUR, TODDLER, [row(TODDLER, CHILD)])
    assert "tidak ada anak dengan NIK ini" in str(_lines(_history(engine, child, gerem))[0][4])
    mother = write_history(_folder(tmp_path, "b") / BUMIL, PREGNANCY, [row(PREGNANCY, MOTHER)])
    refused = _history(engine, mother, gerem, today=date(2024, 9, 30))
    assert [line[:4] for line in _lines(refused)] == [(2, "NIK", "(tidak ditampilkan)", "error")]
    assert "ibu ini tidak dapat dicatat dari wilayah Anda" in str(_lines(refused)[0][4])
    cikerai = _scope(Role.NUTRITIONIST, CIKERAI)
    assert _history(engine, child, cikerai).counts.episodes_added == 1
    assert ("3672014506990003",) not in fetch(engine, table_of(Mother), "nik")
    with pytest.raises(NotAllowed):
        _history(engine, child, _scope(Role.KADER, CIKERAI))


def test_a_dry_run_or_a_failing_write_leaves_nothing(
    tmp_path: Path, engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register_siti(tmp_path, engine, settings)
    before = checksum(engine)
    child = write_history(_folder(tmp_path, "a") / GIKUR, TODDLER, [row(TODDLER, CHILD)])
    dry = _history(engine, child, dry_run=True)
    assert (dry.outcome, dry.ok, dry.counts.episodes_added) == (HistoryOutcome.DRY_RUN, True, 1)
    mother = write_history(_folder(tmp_path, "b") / BUMIL, PREGNANCY, [row(PREGNANCY, MOTHER)])

    def broken(*_: object) -> list[int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr("tumbuh.usecases.pmt_history.add_episodes", broken)
    with pytest.raises(RuntimeError):
        _history(engine, mother, today=date(2024, 9, 30))  # after the woman was added
    assert checksum(engine) == before
    assert fetch(engine, table_of(PmtEpisode), "id") == []
    with engine.connect() as connection:
        assert connection.execute(select(table_of(Pregnancy).c.id)).all() == []
    assert pmt_imports.add_episodes is not broken
