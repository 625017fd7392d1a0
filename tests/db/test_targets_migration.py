"""The targets migration (issue 16, ``*_targets.py``) on both databases: the local targets
there are become survey-scale (a city's stunting target is a survey figure,
docs/domain.md §13), a new one needs a scale, and going back down keeps the targets and
drops the column with no drift on the way up again."""

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from tumbuh.db import migrate
from tumbuh.db.regions import load_packaged_regions


def _targets_revision() -> tuple[str, str]:
    """(this migration's revision, the one before), found by its file name so that the
    test survives renumbering."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    for revision in script.walk_revisions():
        if revision.path.endswith("_targets.py"):
            down = revision.down_revision
            assert isinstance(down, str)
            return revision.revision, down
    raise AssertionError("no *_targets.py migration")


def _before_with_a_target(engine: Engine) -> None:
    _, before = _targets_revision()
    migrate.upgrade(engine, before)
    with engine.begin() as connection:
        load_packaged_regions(connection)
        connection.execute(
            text(
                "INSERT INTO prevalence_target (region_code, year, indicator, percent, source) "
                "VALUES ('36.72', 2023, 'stunting', 9.0, 'selatsunda')"
            )
        )


def test_the_targets_there_are_become_survey_scale(empty_engine: Engine) -> None:
    _before_with_a_target(empty_engine)
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        rows = connection.execute(
            text("SELECT region_code, year, percent, scale FROM prevalence_target")
        ).all()
    assert [tuple(r) for r in rows] == [("36.72", 2023, 9.0, "survey")]


def test_a_target_without_a_known_scale_is_refused_by_the_database(
    empty_engine: Engine,
) -> None:
    _before_with_a_target(empty_engine)
    migrate.upgrade(empty_engine)
    for scale in ("NULL", "'ssgi'"):
        with pytest.raises(IntegrityError), empty_engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO prevalence_target (region_code, year, indicator, percent, scale) "
                    f"VALUES ('36.72', 2024, 'stunting', 9.0, {scale})"
                )
            )


def test_down_keeps_the_targets_and_up_again_leaves_no_drift(empty_engine: Engine) -> None:
    _before_with_a_target(empty_engine)
    migrate.upgrade(empty_engine)
    _, before = _targets_revision()
    migrate.downgrade(empty_engine, before)
    columns = {c["name"] for c in inspect(empty_engine).get_columns("prevalence_target")}
    assert "scale" not in columns
    with empty_engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM prevalence_target")).scalar_one()
    assert count == 1
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert migrate.schema_drift(connection) == []
