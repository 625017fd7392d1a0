"""The child page's history shows the PMT amount an e-PPGBM file gave, in its own column
that appears only when some measurement of the child has one."""

from sqlalchemy import select, update

from tests.web.conftest import City, SignedIn, texts
from tumbuh.db.models import Measurement, table_of


def test_the_history_has_a_pmt_column_only_when_an_amount_was_imported(
    city: City, signed_in: SignedIn
) -> None:
    client, _ = signed_in("kader")
    page = f"/children/{city.own_child}"
    assert "PMT diterima (kg)" not in texts(client.get(page).text, "//table[@id='history']//th")
    m = table_of(Measurement)
    with city.engine.begin() as connection:
        first = connection.execute(
            select(m.c.id).where(m.c.child_id == city.own_child).order_by(m.c.id).limit(1)
        ).scalar_one()
        connection.execute(
            update(m).where(m.c.id == first).values(pmt_received_kg=1.5, pmt_received_raw="1,5")
        )
    try:
        shown = client.get(page).text
        assert "PMT diterima (kg)" in texts(shown, "//table[@id='history']//th")
        assert texts(shown, f"//tr[@data-measurement='{first}']/td[contains(@class, 'pmt')]") == [
            "1,50"
        ]
        others = texts(shown, f"//tr[@data-measurement!='{first}']/td[contains(@class, 'pmt')]")
        assert others
        assert set(others) == {"–"}
    finally:
        with city.engine.begin() as connection:
            connection.execute(
                update(m).where(m.c.id == first).values(pmt_received_kg=None, pmt_received_raw=None)
            )
