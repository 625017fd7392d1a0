"""The database step of the e-PPGBM import on SQLite and PostgreSQL: what is written, and
that errors, re-imports, dry runs and conflicts write nothing they should not."""

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, insert

from tests.db.test_imports_fixtures import (
    CIKERAI,
    add_child,
    counts,
    engine_fixture,  # noqa: F401 - the fixtures of this module
    fetch,
    import_url_fixture,  # noqa: F401
    lines,
    run_import,
    settings_fixture,  # noqa: F401
    xlsx,
)
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, row_of
from tumbuh.config import Settings
from tumbuh.db.models import (
    Child,
    Family,
    ImportFile,
    Measurement,
    MeasurementDerived,
    MeasurementSource,
    Mother,
    Posyandu,
    table_of,
)
from tumbuh.growth.enums import Sex
from tumbuh.ingest.batch import ImportBatch
from tumbuh.ingest.report import ImportReport
from tumbuh.usecases.imports import (
    CheckedImports,
    ImportOutcome,
    PreparedImport,
    UploadedFile,
    commit,
    dry_run,
    prepare,
)

# WHO 2006 LMS rows for girls at 731 days (src/tumbuh/data/who2006, from WHO's anthro):
# lenanthro.txt "2 731 1 85.7299 0.03764 H"; weianthro.txt "2 731 -0.2942 11.4809 0.1239".
HEIGHT_LMS = (1.0, 85.7299, 0.03764)
WEIGHT_LMS = (-0.2942, 11.4809, 0.1239)
NEW_MELATI = (
    "hasil.xlsx",
    5,
    "Posyandu",
    "Melati 1",
    "peringatan",
    "posyandu 'Melati 1' belum terdaftar di kelurahan Cikerai; posyandu ini akan dibuat",
)
GRAMS = (
    "hasil.xlsx",
    6,
    "Berat",
    "10945",
    "error",
    "10945 kg tidak masuk akal pada umur 24 bulan (wajar: 5,2 sampai 21,4 kg); mungkin "
    "tertulis dalam gram: tulis 10,945",
)
EMPTY = {
    "audit_log": 0,
    "child_month": 0,
    "measurement_derived": 0,
    "measurement": 0,
    "import_file": 0,
    "child": 0,
    "import_run": 0,
    "mother": 0,
    "family": 0,
    "posyandu": 0,
}


def _z(value: float, lms: tuple[float, float, float]) -> float:
    """WHO's LMS z-score, written out by hand: ((x / M) ** L - 1) / (L * S)."""
    power, median, cv = lms
    return float(((value / median) ** power - 1) / (power * cv))


def _good_file(folder: Path, name: str = "hasil.xlsx", **changes: object) -> Path:
    return xlsx(folder, name, LAYOUT_A, [row_of(LAYOUT_A, GOOD_A, **changes)])


def _with_a_slip(folder: Path) -> Path:
    rows = [
        row_of(LAYOUT_A, GOOD_A),
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Dewi Lestari", Berat="10945"),
    ]
    return xlsx(folder, "hasil.xlsx", LAYOUT_A, rows)


def test_a_clean_row_becomes_a_child_with_mother_family_posyandu_and_measurement(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    path = _good_file(tmp_path)
    result = run_import([path], engine, settings)
    assert result.outcome is ImportOutcome.IMPORTED
    assert lines(result) == [NEW_MELATI]
    assert (result.counts.rows_read, result.counts.rows_imported) == (1, 1)
    assert (result.counts.children_created, result.counts.posyandu_created) == (1, 1)
    [child] = fetch(engine, table_of(Child), "id", "nik", "name", "sex", "birth_date",
                    "birth_weight_kg", "birth_length_cm", "has_buku_kia", "mother_id",
                    "family_id", "posyandu_id")  # fmt: skip
    assert child[1:8] == (
        "3672015708220001", "Siti Aminah", Sex.FEMALE, date(2022, 8, 17), 3.1, 49.0, True
    )  # fmt: skip
    assert fetch(engine, table_of(Mother), "id", "name", "nik", "family_id") == [
        (child[8], "Rina Wati", None, child[9])
    ]
    assert fetch(engine, table_of(Family), "id", "nomor_kk", "kelurahan_code", "address", "rt",
                 "rw") == [(child[9], None, CIKERAI, "Jl. Mawar 1", "01", "02")]  # fmt: skip
    assert fetch(engine, table_of(Posyandu), "id", "code", "name", "kelurahan_code") == [
        (child[10], "36.72.01.1004.I01", "Melati 1", CIKERAI)
    ]
    [measurement] = fetch(engine, table_of(Measurement), "id", "child_id", "measured_on",
                          "posyandu_id", "weight_kg", "height_cm", "position", "muac_cm",
                          "kader_weight_trend", "source", "import_file_id",
                          "import_row")  # fmt: skip
    file_id = fetch(engine, table_of(ImportFile), "id")[0][0]
    assert measurement[1:] == (
        child[0], date(2024, 8, 17), child[10], 10.9, 84.5, "h", 14.5, "N",
        MeasurementSource.IMPORT_FILE, file_id, 5,
    )  # fmt: skip
    assert fetch(engine, table_of(ImportFile), "file_name", "sha256", "layout", "row_count") == [
        ("hasil.xlsx", hashlib.sha256(path.read_bytes()).hexdigest(), "eppgbm-a", 1)
    ]


def test_derived_values_are_computed_for_the_new_measurement(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    run_import([_good_file(tmp_path)], engine, settings)
    [derived] = fetch(engine, table_of(MeasurementDerived), "measurement_id", "age_days",
                      "height_used_cm", "position_used", "haz", "waz", "weight_trend",
                      "reference")  # fmt: skip
    # 17/08/2022 to 17/08/2024: 365 + 366 days; standing from 731 days needs no 0.7 cm.
    assert derived[1:4] == (731, 84.5, "h")
    assert derived[4] == round(_z(84.5, HEIGHT_LMS), 2) == -0.38
    assert derived[5] == round(_z(10.9, WEIGHT_LMS), 2)
    assert derived[6:] == ("B", "WHO 2006 (anthro 1.1.0)")  # the child's first weighing


def test_importing_the_same_file_again_adds_nothing(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    path = _good_file(tmp_path)
    run_import([path], engine, settings)
    before = counts(engine)
    again = run_import([path], engine, settings)
    # Only the trace of who tried: a run, its audit row and the file (0 rows) linked to it.
    traced = {"import_run": 1, "audit_log": 1, "import_file": 1}
    assert counts(engine) == {table: n + traced.get(table, 0) for table, n in before.items()}
    assert (again.counts.rows_imported, again.counts.rows_already_present) == (0, 1)
    assert (again.counts.children_created, again.counts.children_matched) == (0, 1)
    imported_on = fetch(engine, table_of(ImportFile), "imported_at")[0][0].date()
    assert lines(again) == [
        (
            "hasil.xlsx",
            None,
            "",
            "",
            "peringatan",
            f"berkas ini sudah pernah diimpor pada {imported_on:%d/%m/%Y}; baris yang sudah "
            "ada di database tidak ditambahkan lagi",
        )
    ]
    assert again.files_imported_before == ("hasil.xlsx",)


def test_one_error_blocks_the_whole_import_by_default(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    result = run_import([_with_a_slip(tmp_path)], engine, settings)
    assert result.outcome is ImportOutcome.BLOCKED
    assert not result.ok
    assert counts(engine) == EMPTY
    assert lines(result) == [NEW_MELATI, GRAMS]
    assert (result.counts.rows_with_errors, result.counts.rows_ready) == (1, 1)
    assert result.counts.rows_imported == 0


def test_skip_invalid_imports_the_rows_without_errors(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    result = run_import([_with_a_slip(tmp_path)], engine, settings, skip_invalid=True)
    assert result.outcome is ImportOutcome.IMPORTED
    assert lines(result) == [NEW_MELATI, GRAMS]
    assert (result.counts.rows_imported, result.counts.rows_with_errors) == (1, 1)
    assert fetch(engine, table_of(Child), "name") == [("Siti Aminah",)]
    assert fetch(engine, table_of(Measurement), "import_row") == [(5,)]


def test_a_dry_run_writes_nothing_but_says_what_would_be_created(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    result = run_import([_good_file(tmp_path)], engine, settings, dry_run_only=True)
    assert result.outcome is ImportOutcome.DRY_RUN
    assert result.ok
    assert counts(engine) == EMPTY
    assert (result.counts.rows_ready, result.counts.children_created) == (1, 1)
    assert [(p.kelurahan_code, p.name, p.code) for p in result.posyandu_created] == [
        (CIKERAI, "Melati 1", None)
    ]


def test_a_dry_run_reports_conflicts_with_the_database(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    run_import([_good_file(tmp_path)], engine, settings)
    other = _good_file(tmp_path, "hasil-revisi.xlsx", Berat="11,2")
    result = run_import([other], engine, settings, dry_run_only=True)
    assert not result.ok
    assert [c.measured_on for c in result.conflicts] == [date(2024, 8, 17)]
    assert [(d.field, d.in_file, d.stored) for d in result.conflicts[0].differences] == [
        ("weight_kg", 11.2, 10.9)
    ]


def test_other_values_for_a_stored_child_and_date_are_a_conflict_never_an_overwrite(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    run_import([_good_file(tmp_path)], engine, settings)
    other = _good_file(tmp_path, "hasil-revisi.xlsx", Berat="11,2", LiLA="15")
    result = run_import([other], engine, settings)
    assert result.outcome is ImportOutcome.BLOCKED
    assert lines(result) == [
        (
            "hasil-revisi.xlsx",
            5,
            "Berat",
            "11,2",
            "error",
            "Tumbuh sudah menyimpan pengukuran anak ini pada 17/08/2024 dengan nilai lain "
            "(Berat 10,9; LiLA 14,5; diimpor dari hasil.xlsx, baris 5); baris ini tidak "
            "diimpor; perbaiki baris ini, atau data di Tumbuh",
        )
    ]
    assert fetch(engine, table_of(Measurement), "weight_kg", "muac_cm") == [(10.9, 14.5)]
    assert result.counts.conflicts == 1


def test_a_conflict_with_a_typed_in_measurement_says_so(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    child = add_child(engine, "Siti Aminah", date(2022, 8, 17), Sex.FEMALE,
                      nik="3672015708220001")  # fmt: skip
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Measurement)).values(
                child_id=child,
                measured_on=date(2024, 8, 17),
                weight_kg=11.0,
                source=MeasurementSource.TYPED_IN,
            )
        )
    result = run_import([_good_file(tmp_path)], engine, settings, skip_invalid=True)
    conflict = [line for line in lines(result) if line[4] == "error"]
    assert conflict == [
        (
            "hasil.xlsx",
            5,
            "Berat",
            "10,9",
            "error",
            "Tumbuh sudah menyimpan pengukuran anak ini pada 17/08/2024 dengan nilai lain "
            "(Berat 11; Tinggi kosong; LiLA kosong; Cara Ukur kosong; diketik langsung); baris "
            "ini tidak diimpor; perbaiki baris ini, atau data di Tumbuh",
        )
    ]
    assert fetch(engine, table_of(Measurement), "weight_kg", "source") == [
        (11.0, MeasurementSource.TYPED_IN)
    ]


def test_a_row_the_database_holds_with_more_values_is_already_present(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    run_import([_good_file(tmp_path)], engine, settings)
    less = _good_file(tmp_path, "tanpa-lila.xlsx", LiLA=None, Cara_Ukur=None)
    result = run_import([less], engine, settings)
    assert (result.counts.rows_already_present, result.counts.conflicts) == (1, 0)
    assert counts(engine)["measurement"] == 1


def test_an_earlier_month_imported_later_changes_the_next_weight_trend(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    run_import([_good_file(tmp_path)], engine, settings)
    july = _good_file(tmp_path, "juli.xlsx", Tanggal_Pengukuran="17/07/2024", Berat="10,5")
    run_import([july], engine, settings)
    rows = fetch(engine, table_of(Measurement), "id", "measured_on")
    ids = {day: mid for mid, day in rows}
    derived = fetch(engine, table_of(MeasurementDerived), "measurement_id", "weight_trend",
                    "previous_measurement_id", "weight_gain_g", "kbm_g")  # fmt: skip
    # 10.9 kg after 10.5 kg a month earlier: +400 g, above the KBM of 200 g at 24 months.
    assert {row[0]: row[1:] for row in derived} == {
        ids[date(2024, 7, 17)]: ("B", None, None, None),
        ids[date(2024, 8, 17)]: ("N", ids[date(2024, 7, 17)], 400, 200),
    }


def test_rows_already_held_are_not_added_by_a_commit_checked_earlier(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    path = _good_file(tmp_path)
    prepared = prepare([path], engine, settings, today=date(2024, 9, 1))
    assert dry_run(prepared, engine).counts.rows_ready == 1
    run_import([path], engine, settings)  # someone imports it between check and commit
    late = commit(prepared, engine, settings)
    assert (late.counts.rows_imported, late.counts.rows_already_present) == (0, 1)
    assert counts(engine)["measurement"] == 1


def test_an_upload_is_checked_kept_by_its_hash_and_committed_later(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    content = _good_file(tmp_path).read_bytes()
    upload = UploadedFile("Hasil Pengukuran Agustus.xlsx", content)
    store = CheckedImports()
    prepared = prepare([upload], engine, settings, today=date(2024, 9, 1))
    key = store.put(prepared)
    assert prepare([upload], engine, settings, today=date(2024, 9, 1)).key == key
    assert dry_run(prepared, engine).counts.rows_ready == 1
    kept = store.pop(key)
    assert kept is not None
    result = commit(kept, engine, settings)
    assert [line[0] for line in lines(result)] == ["Hasil Pengukuran Agustus.xlsx"]
    assert fetch(engine, table_of(ImportFile), "file_name") == [("Hasil Pengukuran Agustus.xlsx",)]
    assert store.get(key) is None


def _prepared(key: str) -> PreparedImport:
    report = ImportReport(lines=(), rows_read=0, rows_valid=0)
    return PreparedImport(key, ImportBatch((), (), ()), report, date(2024, 9, 1), "36.72")


def test_the_store_keeps_the_newest_checked_imports_only() -> None:
    store = CheckedImports(size=2)
    for key in ("a", "b", "c"):
        store.put(_prepared(key))
    assert [store.get(k) is not None for k in ("a", "b", "c")] == [False, True, True]


def test_a_checked_import_expires_from_the_store() -> None:
    store = CheckedImports(seconds=0.0)
    store.put(_prepared("a"))
    assert store.get("a") is None
