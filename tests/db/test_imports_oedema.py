"""An e-PPGBM file with an oedema column (Edema, Oedema, Bengkak): read as ya/tidak,
stored, and followed through the one write path (no weight-based z-score with oedema);
an unreadable answer is an error naming the row, the column and what is accepted."""

from pathlib import Path

from sqlalchemy import Engine

from tests.db.test_imports_fixtures import (
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
from tumbuh.db.models import Measurement, MeasurementDerived, table_of

HEADER = [*LAYOUT_A, "Edema"]


def _file(folder: Path, *answers: object) -> Path:
    rows = [
        row_of(HEADER, GOOD_A, NIK=f"36720157082200{i + 1:02d}", Nama=f"Siti {'ABCDEFG'[i]}",
               Edema=answer)
        for i, answer in enumerate(answers)
    ]  # fmt: skip
    return xlsx(folder, "hasil.xlsx", HEADER, rows)


def test_an_oedema_column_is_stored_and_blanks_the_weight_based_zscores(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    path = _file(tmp_path, "Ya", "tidak", None, "1", "t")
    result = run_import([path], engine, settings)
    assert result.ok, lines(result)
    stored = fetch(engine, table_of(Measurement), "id", "oedema", "muac_cm")
    assert [bool(oedema) for _, oedema, _ in stored] == [True, False, False, True, False]
    assert {muac for _, _, muac in stored} == {14.5}
    derived = fetch(engine, table_of(MeasurementDerived), "measurement_id", "waz", "whz", "haz",
                    "acz")  # fmt: skip
    with_oedema = {mid for mid, oedema, _ in stored if oedema}
    for mid, waz, whz, haz, acz in derived:
        assert haz is not None
        assert acz is not None
        assert (waz is None) == (mid in with_oedema)
        assert (whz is None) == (mid in with_oedema)


def test_an_unreadable_oedema_answer_names_row_column_and_what_is_accepted(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    path = _file(tmp_path, "Ya", "mungkin")
    result = run_import([path], engine, settings)
    assert not result.ok
    assert [line for line in lines(result) if line[4] == "error"] == [
        (
            "hasil.xlsx",
            6,
            "Edema",
            "mungkin",
            "error",
            "'mungkin' bukan jawaban edema; tulis ya atau tidak (juga diterima: y/t, 1/0, "
            "true/false), atau kosongkan sel bila tidak ada edema",
        )
    ]
    assert fetch(engine, table_of(Measurement), "id") == []


def test_oedema_in_a_file_where_the_stored_measurement_has_none_is_a_conflict(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    first = tmp_path / "pertama"
    again = tmp_path / "kedua"
    first.mkdir()
    again.mkdir()
    assert run_import([_file(first, "tidak")], engine, settings).ok
    same = run_import([_file(again, None)], engine, settings)
    assert (same.counts.rows_already_present, same.counts.conflicts) == (1, 0)
    result = run_import([_file(again, "ya")], engine, settings)
    assert not result.ok
    assert [(d.field, d.in_file, d.stored) for d in result.conflicts[0].differences] == [
        ("oedema", "ya", "tidak")
    ]
    errors = [line for line in lines(result) if line[4] == "error"]
    assert [(line[1], line[2], line[3]) for line in errors] == [(5, "Edema", "ya")]
    assert "(Edema tidak; diimpor dari hasil.xlsx, baris 5)" in str(errors[0][5])
    assert [bool(o) for (o,) in fetch(engine, table_of(Measurement), "oedema")] == [False]
