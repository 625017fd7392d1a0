"""The demo city's young children show their recorded months on their page (issue 15:
every new page shows realistic data in the demo)."""

from sqlalchemy import select

from tests.web.conftest import City, SignedIn, nodes
from tumbuh.db.models import Child, table_of
from tumbuh.db.models_maternal import ChildMonth


def test_a_demo_child_of_the_kaders_posyandu_lists_its_months(
    city: City, signed_in: SignedIn
) -> None:
    m, c = table_of(ChildMonth), table_of(Child)
    with city.engine.connect() as connection:
        child_id = connection.execute(
            select(m.c.child_id)
            .join(c, c.c.id == m.c.child_id)
            .where(c.c.posyandu_id == city.kader_posyandu)
            .order_by(m.c.child_id)
            .limit(1)
        ).scalar()
        assert child_id is not None, "the demo has child months at the kader's posyandu"
        recorded = (
            connection.execute(select(m.c.month).where(m.c.child_id == child_id)).scalars().all()
        )
    client, _token = signed_in("kader")
    page = client.get(f"/children/{child_id}").text
    listed = [str(li.get("data-month")) for li in nodes(page, "//ul[@id='child-months']/li")]
    assert listed == sorted((d.strftime("%Y-%m") for d in recorded), reverse=True)
