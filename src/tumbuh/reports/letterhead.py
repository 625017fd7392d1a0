"""The letterhead and the signature block of a signed report (the TPPS semester report).

Plain data: the words come from the settings (``TUMBUH_REPORT_*``, docs/configuration.md)
or the command's options; the logo is given as the bytes of a PNG or JPEG file, read by
the caller (reports read no files).
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Letterhead:
    """The lines at the top of the cover (government, team, address) and a logo."""

    lines: tuple[str, ...]  # the last one is printed small (the address)
    logo: bytes | None = None  # PNG or JPEG, drawn at the left of the lines


@dataclass(frozen=True)
class Signature:
    """Who signs the report, where and when."""

    place: str  # "Cilegon"
    title: str  # "Ketua Pelaksana TPPS Kota Cilegon"
    name: str | None = None  # None: a dotted line to write the name by hand
    nip: str | None = None  # the civil servant number, when the signer has one
    day: date | None = None  # None: the day the report is made
