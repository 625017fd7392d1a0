"""The packaged Kemendagri regions of Kota Cilegon, as loaded by `tumbuh db upgrade`."""

from sqlalchemy import Connection, update

from tumbuh.db.models import Region, RegionLevel, table_of
from tumbuh.db.regions import load_packaged_regions, read_boundaries, region, regions


def test_cilegon_has_8_kecamatan_and_43_kelurahan(connection: Connection) -> None:
    kecamatan = regions(connection, RegionLevel.KECAMATAN, within="36.72")
    kelurahan = regions(connection, RegionLevel.KELURAHAN, within="36.72")
    assert [k.code for k in kecamatan] == [f"36.72.0{i}" for i in range(1, 9)]
    assert len(kelurahan) == 43
    assert {k.parent_code for k in kelurahan} == {k.code for k in kecamatan}


def test_kecamatan_gerogol_keeps_its_official_name_and_shows_grogol(
    connection: Connection,
) -> None:
    gerogol = region(connection, "36.72.06")
    assert gerogol is not None
    assert (gerogol.name, gerogol.local_name, gerogol.display_name) == (
        "Gerogol",
        "Grogol",
        "Grogol",
    )
    kelurahan_grogol = region(connection, "36.72.06.1002")
    assert kelurahan_grogol is not None
    assert kelurahan_grogol.display_name == "Grogol"  # the kelurahan's own official name


def test_loading_again_repairs_a_changed_name_and_adds_nothing(connection: Connection) -> None:
    table = table_of(Region)
    connection.execute(update(table).where(table.c.code == "36.72.01").values(name="Cibebr"))
    result = load_packaged_regions(connection)
    assert (result.inserted, result.updated, result.aliases_inserted) == (0, 1, 0)
    cibeber = region(connection, "36.72.01")
    assert cibeber is not None
    assert cibeber.name == "Cibeber"


def test_kelurahan_boundaries_cover_exactly_the_loaded_kelurahan(connection: Connection) -> None:
    features = read_boundaries(RegionLevel.KELURAHAN)["features"]
    codes = {k.code for k in regions(connection, RegionLevel.KELURAHAN, within="36.72")}
    assert {f["properties"]["kode"] for f in features} == codes
    kecamatan = read_boundaries(RegionLevel.KECAMATAN)["features"]
    assert len(kecamatan) == 8
