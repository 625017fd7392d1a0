"""Importing e-PPGBM's file of pregnant women with KEK as PMT bumil episodes (SQLite and
PostgreSQL): rows matched to a registered pregnancy by the mother's NIK and the start
day, within the user's area; csv and xlsx alike; nothing added twice; everything or
nothing written; hostile files refused; audited as an import run, with no NIK in any
message (docs/pmt.md, "Importing e-PPGBM's file of pregnant women with KEK")."""

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Connection, Engine, func, insert, select

from tests.db.helpers import add_posyandu
from tests.unit.ingest.hostile import write_bomb
from tumbuh.config import Settings
from tumbuh.db.audit import Actor
from tumbuh.db.models import Base, ImportFile, ImportRun, Mother, Pregnancy, table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_pmt import PmtEpisode
from tumbuh.db.setup import upgrade_database
from tumbuh.growth.pmt import EpisodeExit, Funding
from tumbuh.i18n import Language
from tumbuh.ingest.limits import FileLimitError
from tumbuh.usecases.access import NotAllowed, Role, Scope
from tumbuh.usecases.cases import COMMAND_LINE_SCOPE
from tumbuh.usecases.pmt_bumil_import import BumilImportResult, HistoryOutcome, import_pmt_bumil

KELURAHAN, OTHER = "36.72.01.1001", "36.72.02.1005"
TODAY = date(2024, 12, 1)
NOW = datetime(2024, 5, 1, tzinfo=UTC)
ACTOR = Actor("cli:test")
SARI, DEWI, RINA = "3672014101950001", "3672014101950002", "3672014101950003"
HEADER = [
    "NIK Ibu",
    "Nama Ibu",
    "Tanggal Lahir Ibu",
    "Kode Kelurahan",
    "Kelurahan",
    "Posyandu",
    "Tanggal Mulai PMT",
    "Tanggal Selesai PMT",
    "LiLA Awal",
    "LiLA Akhir",
    "Jumlah Hari",
    "Sumber Dana",
    "Mitra",
    "Siklus",
    "Keterangan",
]
# Sari: fed 120 days to recovery; Dewi: dropped out; Rina: still fed.
ROWS = [
    [SARI, "Sari", "01/01/1995", KELURAHAN, "Kotasari", "Mawar", "01/06/2024", "28/09/2024",
     "22,4", "23,9", "120", "APBD Kota", "PKK", "1", "Selesai"],
    [DEWI, "Dewi", "01/01/1995", KELURAHAN, "Kotasari", "Mawar", "10/06/2024", "30/06/2024",
     "21,0", "", "18", "DAK Non Fisik", "", "1", "Drop out"],
    [RINA, "Rina", "", KELURAHAN, "Kotasari", "Mawar", "20/11/2024", "",
     "22,8", "", "", "Baznas", "", "", ""],
]  # fmt: skip


def _scope(role: Role, kelurahan: str, *, imports: bool = True) -> Scope:
    return Scope(role, frozenset({kelurahan}), None, True, True, True, imports, False)


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    with empty_engine.begin() as connection:
        posyandu = add_posyandu(connection, "P-1", KELURAHAN, "Mawar")
        for nik in (SARI, DEWI, RINA):
            _pregnancy(connection, posyandu, nik)
    return empty_engine


def _pregnancy(connection: Connection, posyandu: int, nik: str) -> int:
    m, p = table_of(Mother), table_of(Pregnancy)
    values = {"nik": nik, "name": "Ibu", "birth_date": date(1995, 1, 1)}
    mother = connection.execute(insert(m).values(**values).returning(m.c.id)).scalar_one()
    pregnancy = {
        "mother_id": mother,
        "hpht": date(2024, 4, 1),
        "due_date": date(2025, 1, 6),
        "muac_cm": 22.4,
        "registered_on": date(2024, 5, 20),
        "k1_on": date(2024, 5, 20),
        "kelurahan_code": KELURAHAN,
        "posyandu_id": posyandu,
        "created_at": NOW,
    }
    return int(connection.execute(insert(p).values(**pregnancy).returning(p.c.id)).scalar_one())


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([HEADER, *rows])
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Sasaran PMT Ibu Hamil KEK"])  # e-PPGBM's title line
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


def run(
    engine: Engine,
    path: Path,
    scope: Scope = COMMAND_LINE_SCOPE,
    max_mb: int = 50,
    **options: object,
) -> BumilImportResult:
    chosen = Settings(
        database_url=str(engine.url), city_code="36.72", language="id", import_max_file_mb=max_mb
    )
    with engine.connect() as connection:
        return import_pmt_bumil(
            connection,
            scope,
            path,
            settings=chosen,
            actor=ACTOR,
            today=TODAY,
            **options,  # type: ignore[arg-type]
        )


def _lines(result: BumilImportResult) -> list[tuple[object, ...]]:
    return [line.cells(Language.ID)[1:] for line in result.report.lines]


def _episodes(engine: Engine) -> list[dict[str, object]]:
    e = table_of(PmtEpisode)
    with engine.connect() as connection:
        rows = connection.execute(select(e).order_by(e.c.started_on)).mappings().all()
    return [dict(r) for r in rows]


def _count(engine: Engine, model: type[Base]) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(table_of(model))).scalar_one()
        )


def test_a_good_csv_adds_one_episode_per_row_with_the_rules_exits(
    engine: Engine, tmp_path: Path
) -> None:
    result = run(engine, write_csv(tmp_path / "sasaran.csv", ROWS))
    assert result.outcome is HistoryOutcome.IMPORTED, _lines(result)
    assert (result.counts.episodes_added, result.counts.episodes_running) == (3, 1)
    episodes = _episodes(engine)
    assert [(e["started_on"], e["ended_on"], e["exit"]) for e in episodes] == [
        (date(2024, 6, 1), date(2024, 9, 28), EpisodeExit.RECOVERED),  # LiLA 23.9 >= 23.5
        (date(2024, 6, 10), date(2024, 6, 30), EpisodeExit.DROPPED_OUT),
        (date(2024, 11, 20), None, None),
    ]
    first = episodes[0]
    assert (first["start_muac_cm"], first["end_muac_cm"]) == (22.4, 23.9)
    assert (first["funding"], first["partner"], first["cycle"]) == (Funding.APBD, "PKK", 1)
    assert (first["planned_days"], first["rules_version"], first["kitchen_id"]) == (
        120,
        "2023",
        None,
    )
    assert first["import_key"] == f"bumil:{first['pregnancy_id']}:2024-06-01"
    assert first["child_id"] is None
    assert first["import_file_id"] is not None
    assert _count(engine, ImportRun) == _count(engine, ImportFile) == 1


def test_an_xlsx_written_by_a_spreadsheet_reads_as_the_csv(engine: Engine, tmp_path: Path) -> None:
    typed: list[list[object]] = [
        [SARI, "Sari", date(1995, 1, 1), KELURAHAN, "Kotasari", "Mawar", date(2024, 6, 1),
         date(2024, 9, 28), 22.4, 23.1, 120, "APBD", "PKK", 1, "tidak pulih"],
    ]  # fmt: skip
    result = run(engine, write_xlsx(tmp_path / "sasaran.xlsx", typed))
    assert result.outcome is HistoryOutcome.IMPORTED, _lines(result)
    [episode] = _episodes(engine)
    assert (episode["exit"], episode["end_muac_cm"]) == (EpisodeExit.NOT_RECOVERED, 23.1)


def test_the_lila_overrules_the_files_verdict_with_a_warning(
    engine: Engine, tmp_path: Path
) -> None:
    row = [*ROWS[0][:14], "Tidak pulih"]  # but LiLA 23.9 at the end
    result = run(engine, write_csv(tmp_path / "sasaran.csv", [row]))
    assert _episodes(engine)[0]["exit"] is EpisodeExit.RECOVERED
    assert _lines(result) == [
        (
            2,
            "Keterangan",
            "",
            "peringatan",
            "berkas menyebut tidak pulih, tetapi LiLA akhir 23,9 cm; pulih dinilai dari "
            "LiLA (23,5 cm atau lebih), jadi dicatat sebagai pulih",
        )
    ]


def test_an_unknown_nik_is_an_error_that_names_row_and_column_not_the_nik(
    engine: Engine, tmp_path: Path
) -> None:
    stranger = [*ROWS[0]]
    stranger[0] = "3672015505960009"
    result = run(engine, write_csv(tmp_path / "sasaran.csv", [stranger, ROWS[1]]))
    assert result.outcome is HistoryOutcome.BLOCKED
    assert _lines(result) == [
        (
            2,
            "NIK Ibu",
            "(tidak ditampilkan)",
            "error",
            "tidak ada ibu hamil dengan NIK ini yang terdaftar di wilayah Anda (NIK tidak "
            "ditampilkan); daftarkan kehamilannya dahulu, atau periksa NIK dengan KK",
        )
    ]
    assert "3672015505960009" not in json.dumps([str(c) for c in _lines(result)])
    assert _episodes(engine) == []
    skipped = run(
        engine, write_csv(tmp_path / "sasaran.csv", [stranger, ROWS[1]]), skip_invalid=True
    )
    assert (skipped.counts.episodes_added, skipped.counts.rows_skipped) == (1, 1)


def test_a_start_outside_every_pregnancy_names_the_date(engine: Engine, tmp_path: Path) -> None:
    early = [*ROWS[0][:6], "01/02/2024", *ROWS[0][7:]]  # before the HPHT of 1 April
    result = run(engine, write_csv(tmp_path / "sasaran.csv", [early]))
    [line] = _lines(result)
    assert line[:4] == (2, "Tanggal Mulai PMT", "01/02/2024", "error")
    assert str(line[4]).startswith("01/02/2024 tidak berada dalam kehamilan")


def test_a_bad_date_names_row_column_value_and_what_is_accepted(
    engine: Engine, tmp_path: Path
) -> None:
    bad = [*ROWS[0][:6], "31/02/2024", *ROWS[0][7:]]
    result = run(engine, write_csv(tmp_path / "sasaran.csv", [bad]))
    assert result.outcome is HistoryOutcome.BLOCKED
    [line] = _lines(result)
    assert line[:4] == (2, "Tanggal Mulai PMT", "31/02/2024", "error")
    assert _episodes(engine) == []


def test_a_formula_cell_is_refused_in_csv_and_xlsx(engine: Engine, tmp_path: Path) -> None:
    in_csv = [*ROWS[0][:9], '=HYPERLINK("http://x","23")', *ROWS[0][10:]]
    result = run(engine, write_csv(tmp_path / "sasaran.csv", [in_csv]))
    assert [(ln[0], ln[1], ln[3]) for ln in _lines(result)] == [(2, "LiLA Akhir", "error")]
    assert "rumus" in str(_lines(result)[0][4])
    typed: list[list[object]] = [
        [SARI, "Sari", None, KELURAHAN, "", "", date(2024, 6, 1), date(2024, 9, 28),
         "=20+2.4", 24, 120, "", "", 1, "selesai"]
    ]  # fmt: skip
    in_xlsx = run(engine, write_xlsx(tmp_path / "sasaran.xlsx", typed))
    assert [(ln[0], ln[1], ln[3]) for ln in _lines(in_xlsx)] == [(3, "LiLA Awal", "error")]
    assert _episodes(engine) == []


def test_oversized_files_and_zip_bombs_are_refused_unread(engine: Engine, tmp_path: Path) -> None:
    big = write_csv(tmp_path / "big.csv", [ROWS[0]] * 12_000)  # over 1 MB
    with pytest.raises(FileLimitError):
        run(engine, big, max_mb=1)
    bomb = write_bomb(tmp_path / "bomb.xlsx", unpacked_mb=64)
    with pytest.raises(FileLimitError):
        run(engine, bomb)
    assert _episodes(engine) == []


def test_the_same_file_twice_adds_nothing_the_second_time(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "sasaran.csv", ROWS)
    assert run(engine, path).counts.episodes_added == 3
    again = run(engine, path)
    assert again.outcome is HistoryOutcome.IMPORTED
    assert (again.counts.episodes_added, again.counts.episodes_present) == (0, 3)
    assert str(_lines(again)[0][4]).startswith("berkas ini sudah pernah diimpor pada")
    assert len(_episodes(engine)) == 3
    # A copy with another name (another hash) is matched by its keys: nothing twice.
    copy = write_csv(tmp_path / "salinan.csv", [*ROWS, ROWS[0]])
    assert run(engine, copy).counts.episodes_added == 0
    assert len(_episodes(engine)) == 3


def test_a_second_running_episode_of_a_pregnancy_is_refused(engine: Engine, tmp_path: Path) -> None:
    assert run(engine, write_csv(tmp_path / "a.csv", [ROWS[2]])).ok
    later = [*ROWS[2][:6], "25/11/2024", *ROWS[2][7:]]
    result = run(engine, write_csv(tmp_path / "b.csv", [later]))
    assert result.outcome is HistoryOutcome.BLOCKED
    [line] = _lines(result)
    assert line[:4] == (2, "", "", "error")
    assert str(line[4]).startswith(
        "kehamilan ini sudah punya episode PMT yang berjalan sejak 20/11/2024;"
    )


def test_a_dry_run_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    result = run(engine, write_csv(tmp_path / "sasaran.csv", ROWS), dry_run=True)
    assert result.ok
    assert result.counts.episodes_added == 3
    assert _episodes(engine) == []
    assert _count(engine, ImportRun) == 0


def test_rows_outside_the_users_area_are_not_found(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "sasaran.csv", ROWS)
    far = run(engine, path, _scope(Role.NUTRITIONIST, OTHER))
    assert far.outcome is HistoryOutcome.BLOCKED
    assert {ln[1] for ln in _lines(far)} == {"NIK Ibu"}
    assert _episodes(engine) == []
    with pytest.raises(NotAllowed):
        run(engine, path, _scope(Role.BIDAN, KELURAHAN, imports=False))
    near = run(engine, path, _scope(Role.NUTRITIONIST, KELURAHAN))
    assert near.counts.episodes_added == 3


def test_the_import_is_audited_per_episode_without_name_or_nik(
    engine: Engine, tmp_path: Path
) -> None:
    result = run(engine, write_csv(tmp_path / "sasaran.csv", ROWS))
    a = table_of(AuditEntry)
    with engine.connect() as connection:
        rows = connection.execute(
            select(a.c.entity, a.c.action, a.c.after, a.c.import_run_id).where(
                a.c.entity == "pmt_episode"
            )
        ).all()
    assert len(rows) == 3
    assert {r.import_run_id for r in rows} == {result.import_run_id}
    text = json.dumps([str(r.after) for r in rows])
    assert SARI not in text
    assert "Sari" not in text
