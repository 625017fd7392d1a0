"""Migration 0011 (the first 1,000 days) on both databases: the pregnancies there are
keep what they held and take their area from the woman's family; going back down keeps
them, drops the new tables and columns, and coming up again leaves no drift."""

from sqlalchemy import Engine, inspect, text

from tumbuh.db import migrate
from tumbuh.db.regions import load_packaged_regions

CIBEBER = "36.72.01.1001"
NEW_TABLES = {
    "anc_visit",
    "postpartum_visit",
    "child_month",
    "catin",
    "tpk_visit",
    "tpk_visit_action",
}


def _at_0010_with_two_pregnancies(engine: Engine) -> None:
    """One woman of a family in Cibeber (a pregnancy ended in a live birth), one with no
    family (a pregnancy of a PMT history import: no dates)."""
    migrate.upgrade(engine, "0010")
    with engine.begin() as connection:
        load_packaged_regions(connection)
        connection.execute(text(f"INSERT INTO family (id, kelurahan_code) VALUES (1, '{CIBEBER}')"))
        connection.execute(
            text(
                "INSERT INTO mother (id, name, family_id) "
                "VALUES (1, 'Ibu A', 1), (2, 'Ibu B', NULL)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO pregnancy (id, mother_id, hpht, due_date, muac_cm, ended_on, outcome) "
                "VALUES (1, 1, '2024-01-01', '2024-10-07', 22.1, '2024-10-01', 'live_birth'), "
                "(2, 2, NULL, NULL, NULL, NULL, NULL)"
            )
        )


def test_the_pregnancies_there_are_keep_their_values_and_take_their_familys_area(
    empty_engine: Engine,
) -> None:
    _at_0010_with_two_pregnancies(empty_engine)
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT id, kelurahan_code, muac_cm, outcome, registered_on "
                "FROM pregnancy ORDER BY id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        (1, CIBEBER, 22.1, "live_birth", None),
        (2, None, None, None, None),
    ]


def test_going_back_to_0010_keeps_the_pregnancies_and_drops_the_new_records(
    empty_engine: Engine,
) -> None:
    _at_0010_with_two_pregnancies(empty_engine)
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE pregnancy SET registered_on = '2024-02-20', k1_on = '2024-02-20', "
                "birth_place = 'home', gestational_age_at_end_weeks = 39 WHERE id = 1"
            )
        )
        connection.execute(
            text(
                "INSERT INTO anc_visit (pregnancy_id, visited_on, place, muac_cm, created_at, "
                "updated_at) VALUES (1, '2024-02-20', 'posyandu', 22.1, '2024-02-20 08:00:00', "
                "'2024-02-20 08:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO tpk_visit (id, family_id, visited_on, tpk_member, created_at, "
                "updated_at) VALUES (1, 1, '2024-03-01', 'Kader', '2024-03-01 08:00:00', "
                "'2024-03-01 08:00:00')"
            )
        )
        connection.execute(
            text("INSERT INTO tpk_visit_action (visit_id, action) VALUES (1, 'referral')")
        )
    migrate.downgrade(empty_engine, "0010")
    inspector = inspect(empty_engine)
    assert not NEW_TABLES & set(inspector.get_table_names())
    assert "registered_on" not in {c["name"] for c in inspector.get_columns("pregnancy")}
    assert "basic_immunisation_completed_on" not in {
        c["name"] for c in inspector.get_columns("child")
    }
    with empty_engine.connect() as connection:
        kept = connection.execute(text("SELECT id, outcome FROM pregnancy ORDER BY id")).all()
    assert [tuple(r) for r in kept] == [(1, "live_birth"), (2, None)]
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert migrate.schema_drift(connection) == []
