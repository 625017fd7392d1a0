"""Which child, posyandu, mother and family a row finds (docs/import-format.md §6, §11)."""

import json
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, insert

from tests.db.test_imports_fixtures import (
    CIKERAI,
    GEREM,
    add_child,
    add_mother,
    counts,
    engine_fixture,  # noqa: F401 - the fixtures of this module
    fetch,
    import_url_fixture,  # noqa: F401
    lines,
    run_import,
    settings_fixture,  # noqa: F401
    xlsx,
)
from tests.unit.ingest.builders import GOOD_A, GOOD_B, LAYOUT_A, LAYOUT_B, row_of
from tumbuh.config import Settings
from tumbuh.db.imports import ImportOutcome
from tumbuh.db.models import Child, Family, Measurement, Mother, Posyandu, table_of
from tumbuh.db.models_access import AuditAction, AuditEntry
from tumbuh.growth.enums import Sex

NIK = "3672015708220001"  # GOOD_A's: a girl born 17/08/2022
BORN = date(2022, 8, 17)


def _file(folder: Path, *rows: list[object], name: str = "hasil.xlsx") -> Path:
    return xlsx(folder, name, LAYOUT_A, list(rows))


def _measured_children(engine: Engine) -> list[tuple[object, ...]]:
    return fetch(engine, table_of(Measurement), "child_id")


def test_a_registered_nik_finds_its_child_whatever_the_name(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    child = add_child(engine, "Siti Aminah Putri", BORN, Sex.FEMALE, nik=NIK)
    result = run_import([_file(tmp_path, row_of(LAYOUT_A, GOOD_A))], engine, settings)
    assert _measured_children(engine) == [(child,)]
    assert (result.counts.children_created, result.counts.matched_by_nik) == (0, 1)
    assert (
        "hasil.xlsx",
        5,
        "Nama",
        "Siti Aminah",
        "peringatan",
        "NIK ini terdaftar di Tumbuh dengan nama lain (inisial S. A. P.); baris ini "
        "ditambahkan pada anak tersebut; periksa ejaan namanya",
    ) in lines(result)


def test_a_registered_nik_of_a_child_born_on_another_day_is_an_error(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    add_child(engine, "Siti Aminah", date(2023, 1, 1), Sex.MALE, nik=NIK)
    result = run_import([_file(tmp_path, row_of(LAYOUT_A, GOOD_A))], engine, settings)
    assert result.outcome is ImportOutcome.BLOCKED
    assert [line for line in lines(result) if line[4] == "error"] == [
        (
            "hasil.xlsx",
            5,
            "NIK",
            NIK,
            "error",
            "NIK ini sudah terdaftar di Tumbuh untuk anak lain (Tgl Lahir; JK berbeda); "
            "setiap anak punya NIK sendiri; cocokkan dengan KK",
        )
    ]
    assert counts(engine)["measurement"] == 0


def test_a_nik_is_attached_to_the_child_found_by_identity_and_audited(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    mother = add_mother(engine, "Ibu Rina Wati")
    child = add_child(engine, "SITI AMINAH", BORN, Sex.FEMALE, mother_id=mother)
    result = run_import([_file(tmp_path, row_of(LAYOUT_A, GOOD_A))], engine, settings)
    assert (result.counts.niks_attached, result.counts.matched_by_identity) == (1, 1)
    assert fetch(engine, table_of(Child), "id", "nik", "name", "mother_id") == [
        (child, NIK, "SITI AMINAH", mother)  # the name as registered is kept
    ]
    [audit] = [a for a in fetch(engine, table_of(AuditEntry), "entity", "entity_id", "action",
                                "actor", "before", "after") if a[0] == "child"]  # fmt: skip
    assert audit[:4] == ("child", child, AuditAction.UPDATE, "import")
    after = json.loads(audit[5])
    assert (after["nik"], after["nik_changed"]) == ("3672************", True)
    assert json.loads(audit[4])["nik"] is None


def test_identity_ignores_how_names_are_typed(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    mother = add_mother(engine, "Ny. Rina  Wati")
    child = add_child(engine, "Sitti Aminah", BORN, Sex.FEMALE, mother_id=mother)
    row = row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="siti aminah", Nama_Ortu="RINA WATI")
    run_import([_file(tmp_path, row)], engine, settings)
    assert _measured_children(engine) == [(child,)]


def test_a_child_whose_stored_nik_differs_is_never_taken_by_identity(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    mother = add_mother(engine, "Rina Wati")
    other = add_child(engine, "Siti Aminah", BORN, Sex.FEMALE, nik="3672015708220009",
                      mother_id=mother)  # fmt: skip
    result = run_import([_file(tmp_path, row_of(LAYOUT_A, GOOD_A))], engine, settings)
    assert result.counts.children_created == 1
    [(measured,)] = _measured_children(engine)
    assert measured != other
    assert (
        "hasil.xlsx",
        5,
        "NIK",
        NIK,
        "peringatan",
        "belum ada anak dengan NIK ini, tetapi anak dengan nama, tanggal lahir, jenis kelamin, "
        "dan nama orang tua yang sama terdaftar dengan NIK lain; anak baru dibuat; "
        "jika keduanya anak yang sama, perbaiki NIK-nya",
    ) in lines(result)


def test_a_row_without_nik_finds_the_registered_child_by_identity(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    mother = add_mother(engine, "Rina Wati")
    child = add_child(engine, "Siti Aminah", BORN, Sex.FEMALE, nik=NIK, mother_id=mother)
    run_import([_file(tmp_path, row_of(LAYOUT_A, GOOD_A, NIK=None))], engine, settings)
    assert _measured_children(engine) == [(child,)]
    assert counts(engine)["child"] == 1


def test_two_registered_children_with_one_identity_need_the_nik(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    for _ in range(2):
        add_child(
            engine, "Siti Aminah", BORN, Sex.FEMALE, mother_id=add_mother(engine, "Rina Wati")
        )
    result = run_import([_file(tmp_path, row_of(LAYOUT_A, GOOD_A, NIK=None))], engine, settings)
    assert [line for line in lines(result) if line[4] == "error"] == [
        (
            "hasil.xlsx",
            5,
            "Nama",
            "Siti Aminah",
            "error",
            "2 anak terdaftar dengan nama, tanggal lahir, jenis kelamin, dan nama orang tua "
            "ini; isi NIK agar baris ini menemukan anaknya",
        )
    ]


def test_rows_of_one_new_child_with_and_without_nik_make_one_child(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    rows = [
        row_of(LAYOUT_A, GOOD_A, NIK=None, Tanggal_Pengukuran="17/07/2024", Berat="10,5"),
        row_of(LAYOUT_A, GOOD_A),
    ]
    result = run_import([_file(tmp_path, *rows)], engine, settings)
    assert result.counts.children_created == 1
    assert fetch(engine, table_of(Child), "nik") == [(NIK,)]
    assert len(set(_measured_children(engine))) == 1


def test_the_same_child_and_date_under_two_keys_is_imported_once(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    rows = [row_of(LAYOUT_A, GOOD_A), row_of(LAYOUT_A, GOOD_A, NIK=None)]
    result = run_import([_file(tmp_path, *rows)], engine, settings)
    assert (
        "hasil.xlsx",
        6,
        "",
        "",
        "peringatan",
        "sama persis dengan baris 5 di hasil.xlsx; hanya diimpor sekali",
    ) in lines(result)
    assert (counts(engine)["measurement"], result.counts.rows_repeated) == (1, 1)


def test_the_same_child_and_date_under_two_keys_with_other_values_blocks_both(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    rows = [row_of(LAYOUT_A, GOOD_A), row_of(LAYOUT_A, GOOD_A, NIK=None, Berat="11,9")]
    result = run_import([_file(tmp_path, *rows)], engine, settings, skip_invalid=True)
    assert [line[1:] for line in lines(result) if line[4] == "error"] == [
        (
            row,
            "",
            "",
            "error",
            f"anak dan tanggal pengukuran sama dengan baris {other} di hasil.xlsx, tetapi "
            "nilainya berbeda (Berat); simpan baris yang benar dan hapus yang lain",
        )
        for row, other in ((5, 6), (6, 5))
    ]
    assert counts(engine)["measurement"] == 0


def test_registered_posyandu_are_found_by_name_as_typed(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(Posyandu)).values(code="P-7", name="Melati 01", kelurahan_code=CIKERAI)
        )
    rows = [
        row_of(LAYOUT_A, GOOD_A, Posyandu="Posy. Melati 1"),
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Dewi", Posyandu="Kenanga"),
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Rudi", JK="L", Posyandu="Anggrek"),
    ]
    result = run_import([_file(tmp_path, *rows)], engine, settings)
    assert [line[1:4] for line in lines(result) if line[2] == "Posyandu"] == [
        (6, "Posyandu", "Kenanga"),
        (7, "Posyandu", "Anggrek"),
    ]
    assert fetch(engine, table_of(Posyandu), "code", "name", "kelurahan_code") == [
        ("36.72.01.1004.I01", "Kenanga", CIKERAI),
        ("36.72.01.1004.I02", "Anggrek", CIKERAI),
        ("P-7", "Melati 01", CIKERAI),
    ]
    assert [p.name for p in result.posyandu_created] == ["Kenanga", "Anggrek"]


def test_layout_b_siblings_share_their_family_card_and_mother(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    sister = {"Nama Anak": "Ani Santoso", "Jenis Kelamin": "P", "Tanggal Lahir": "12/01/2024",
              "NIK": "3672065201240003", "Anak Ke": "3", "Usia Kehamilan (minggu)": "41",
              "Berat (kg)": "7,9", "Tinggi (cm)": "69"}  # fmt: skip
    rows = [row_of(LAYOUT_B, GOOD_B), row_of(LAYOUT_B, GOOD_B | sister)]
    path = xlsx(tmp_path, "register.xlsx", LAYOUT_B, rows)
    result = run_import([path], engine, settings)
    assert (result.counts.children_created, result.counts.mothers_created) == (2, 1)
    assert fetch(engine, table_of(Family), "nomor_kk", "kelurahan_code", "address", "rt") == [
        ("3672060101100003", GEREM, "Kp. Gerem", "03")
    ]
    assert fetch(engine, table_of(Mother), "name", "nik") == [("Sari Dewi", "3672064505900001")]
    children = fetch(engine, table_of(Child), "id", "name", "gestational_age_weeks",
                     "mother_id", "family_id")  # fmt: skip
    assert [c[1:3] for c in children] == [("Budi Santoso", 39), ("Ani Santoso", 41)]
    assert children[0][3:] == children[1][3:]


def test_a_later_file_finds_the_family_and_mother_already_registered(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    run_import([xlsx(tmp_path, "a.xlsx", LAYOUT_B, [row_of(LAYOUT_B, GOOD_B)])], engine, settings)
    sister = {"Nama Anak": "Ani Santoso", "Jenis Kelamin": "P", "Tanggal Lahir": "12/01/2024",
              "NIK": "3672065201240003", "Berat (kg)": "7,9", "Tinggi (cm)": "69"}  # fmt: skip
    path = xlsx(tmp_path, "b.xlsx", LAYOUT_B, [row_of(LAYOUT_B, GOOD_B | sister)])
    result = run_import([path], engine, settings)
    assert (result.counts.mothers_created, result.counts.families_created) == (0, 0)
    assert counts(engine)["mother"] == 1
    assert len({row[1:] for row in fetch(engine, table_of(Child), "id", "mother_id")}) == 1


def test_layout_b_family_values_that_cannot_be_right_are_warnings_not_stored(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    row = row_of(LAYOUT_B, GOOD_B, Nomor_KK="3672", NIK_Orang_Tua="3.67206E+15",
                 **{"Usia Kehamilan (minggu)": "390"})  # fmt: skip
    result = run_import([xlsx(tmp_path, "b.xlsx", LAYOUT_B, [row])], engine, settings)
    assert result.outcome is ImportOutcome.IMPORTED
    assert [line[2:] for line in lines(result) if line[2] != "Posyandu"] == [
        ("Nomor KK", "3672", "peringatan",
         "Nomor KK bukan nomor KK 16 digit yang sah; nilai ini tidak disimpan; cocokkan "
         "dengan KK"),
        ("NIK Orang Tua", "3.67206E+15", "peringatan",
         "NIK Orang Tua bukan NIK 16 digit yang sah; nilai ini tidak disimpan; cocokkan "
         "dengan KK"),
        ("Usia Kehamilan (minggu)", "390", "peringatan",
         "'390' bukan usia kehamilan dalam minggu (wajar: 20 sampai 45); nilai ini tidak "
         "disimpan"),
    ]  # fmt: skip
    assert fetch(engine, table_of(Mother), "name", "nik") == [("Sari Dewi", None)]
    assert fetch(engine, table_of(Child), "gestational_age_weeks") == [(None,)]
