"""Masking a child's identity wherever it is shown or kept without the full record.

Names and NIK are personal data (UU 27/2022 on personal data protection). Tumbuh masks
them the same way everywhere (lists shown without identity, the audit log, e-PPGBM
exports and the referral list made without ``--unmask``):

* a **NIK** keeps only its first 4 digits (province and kota); the other 12 become
  ``*``: ``3672************``. Digits 5-6 are the kecamatan, 7-12 the birth date (day
  + 40 for girls) and 13-16 a serial number that is small in practice (0001 to a few
  dozen). The rows that show a masked NIK also show the area, the birth date and the
  sex, so a mask that kept any of digits 5-16 would let the whole NIK be rebuilt from
  the row; the kota prefix is the one part that tells nothing the reader could not see
  anyway (docs/security.md, section 4). A value shorter than 16 characters (not a NIK)
  is masked entirely. The ``*`` keep a masked NIK apart from a real one: an import
  refuses it (``NIK_MASKED``) instead of storing it;
* a **name** becomes its initials: ``Siti Aminah`` -> ``S. A.``.

``None`` stays ``None`` and an empty text stays empty, so callers can tell "unknown"
from "masked".
"""

from typing import overload

NIK_LENGTH = 16
NIK_KEPT_DIGITS = 4  # province and kota: shared by every child of the city
MASK = "*"


@overload
def mask_nik(nik: str) -> str: ...
@overload
def mask_nik(nik: None) -> None: ...
def mask_nik(nik: str | None) -> str | None:
    """``3672015708220001`` -> ``3672************``; shorter values fully masked."""
    if not nik:
        return nik
    if len(nik) < NIK_LENGTH:
        return MASK * len(nik)
    return nik[:NIK_KEPT_DIGITS] + MASK * (len(nik) - NIK_KEPT_DIGITS)


@overload
def mask_name(name: str) -> str: ...
@overload
def mask_name(name: None) -> None: ...
def mask_name(name: str | None) -> str | None:
    """Initials only: ``Siti  nur Aminah`` -> ``S. N. A.``."""
    if not name:
        return name
    return " ".join(f"{word[0].upper()}." for word in name.split())
