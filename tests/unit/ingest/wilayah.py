"""Kota Cilegon's regions (Kemendagri codes), as in shared/data/cilegon-wilayah.csv.

Derived from cahyadsn/wilayah (MIT licence, copyright Cahya DSN), Kepmendagri
300.2.2-2430/2025. Alternative spellings are those of docs/domain.md §12.
"""

import csv
import io

from tumbuh.db.models import RegionLevel
from tumbuh.ingest.regions import RegionRecord

WILAYAH_CSV = """kode,nama,level,parent_kode
36,Banten,provinsi,
36.72,Kota Cilegon,kota,36
36.72.01,Cibeber,kecamatan,36.72
36.72.01.1001,Cibeber,kelurahan,36.72.01
36.72.01.1002,Kedaleman,kelurahan,36.72.01
36.72.01.1003,Bulakan,kelurahan,36.72.01
36.72.01.1004,Cikerai,kelurahan,36.72.01
36.72.01.1005,Karang Asem,kelurahan,36.72.01
36.72.01.1006,Kalitimbang,kelurahan,36.72.01
36.72.02,Cilegon,kecamatan,36.72
36.72.02.1001,Bagendung,kelurahan,36.72.02
36.72.02.1002,Ciwedus,kelurahan,36.72.02
36.72.02.1003,Bendungan,kelurahan,36.72.02
36.72.02.1004,Ketileng,kelurahan,36.72.02
36.72.02.1005,Ciwaduk,kelurahan,36.72.02
36.72.03,Pulomerak,kecamatan,36.72
36.72.03.1001,Tamansari,kelurahan,36.72.03
36.72.03.1002,Lebakgede,kelurahan,36.72.03
36.72.03.1003,Mekarsari,kelurahan,36.72.03
36.72.03.1004,Suralaya,kelurahan,36.72.03
36.72.04,Ciwandan,kecamatan,36.72
36.72.04.1001,Banjar Negara,kelurahan,36.72.04
36.72.04.1002,Tegal Ratu,kelurahan,36.72.04
36.72.04.1003,Kubangsari,kelurahan,36.72.04
36.72.04.1004,Gunung Sugih,kelurahan,36.72.04
36.72.04.1005,Kepuh,kelurahan,36.72.04
36.72.04.1006,Randakari,kelurahan,36.72.04
36.72.05,Jombang,kecamatan,36.72
36.72.05.1001,Sukmajaya,kelurahan,36.72.05
36.72.05.1002,Jombang Wetan,kelurahan,36.72.05
36.72.05.1003,Masigit,kelurahan,36.72.05
36.72.05.1004,Panggung Rawi,kelurahan,36.72.05
36.72.05.1005,Gedong Dalem,kelurahan,36.72.05
36.72.06,Gerogol,kecamatan,36.72
36.72.06.1001,Kotasari,kelurahan,36.72.06
36.72.06.1002,Grogol,kelurahan,36.72.06
36.72.06.1003,Rawa Arum,kelurahan,36.72.06
36.72.06.1004,Gerem,kelurahan,36.72.06
36.72.07,Purwakarta,kecamatan,36.72
36.72.07.1001,Ramanuju,kelurahan,36.72.07
36.72.07.1002,Kotabumi,kelurahan,36.72.07
36.72.07.1003,Kebon Dalem,kelurahan,36.72.07
36.72.07.1004,Purwakarta,kelurahan,36.72.07
36.72.07.1005,Tegal Bunder,kelurahan,36.72.07
36.72.07.1006,Pabean,kelurahan,36.72.07
36.72.08,Citangkil,kecamatan,36.72
36.72.08.1001,Warnasari,kelurahan,36.72.08
36.72.08.1002,Dringo,kelurahan,36.72.08
36.72.08.1003,Lebak Denok,kelurahan,36.72.08
36.72.08.1004,Taman Baru,kelurahan,36.72.08
36.72.08.1005,Kebonsari,kelurahan,36.72.08
36.72.08.1006,Samangraya,kelurahan,36.72.08
36.72.08.1007,Citangkil,kelurahan,36.72.08
"""

# docs/domain.md §12: spellings seen in files, by Kemendagri code.
ALTERNATIVE_NAMES = {
    "36.72.06": ("Grogol",),
    "36.72.03": ("Pulau Merak",),
    "36.72.01.1004": ("Cikerasi",),
    "36.72.01.1005": ("Karangasem",),
    "36.72.04.1002": ("Tegalratu",),
    "36.72.03.1002": ("Lebak Gede",),
    "36.72.01.1002": ("Kedalaman",),
}


def cilegon_regions(*, alternatives: bool = True) -> list[RegionRecord]:
    """The 53 region records, with the alternative spellings of docs/domain.md §12 when asked."""
    reader = csv.DictReader(io.StringIO(WILAYAH_CSV))
    return [
        RegionRecord(
            code=r["kode"],
            name=r["nama"],
            level=RegionLevel(r["level"]),
            parent_code=r["parent_kode"] or None,
            alternative_names=ALTERNATIVE_NAMES.get(r["kode"], ()) if alternatives else (),
        )
        for r in reader
    ]
