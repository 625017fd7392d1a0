"""Masking a child's identity wherever it is shown or kept without the full record.

Names and NIK are personal data (UU 27/2022 on personal data protection). Tumbuh masks
them the same way everywhere (lists shown without identity, the audit log, e-PPGBM
exports made without ``--unmask``):

* a **NIK** keeps its first 4 digits (province and kota) and its last 4 (the serial);
  the 8 between, which encode the birth date, become ``*``: ``3672********0001``. A
  value shorter than 12 characters (not a NIK) is masked entirely, so at least as many
  characters are hidden as shown;
* a **name** becomes its initials: ``Siti Aminah`` -> ``S. A.``.

``None`` stays ``None`` and an empty text stays empty, so callers can tell "unknown"
from "masked".
"""

from typing import overload

NIK_KEPT_DIGITS = 4  # kept at each end of a masked NIK
NIK_MASKED_SHORTER_THAN = 12  # shorter values are masked entirely


@overload
def mask_nik(nik: str) -> str: ...
@overload
def mask_nik(nik: None) -> None: ...
def mask_nik(nik: str | None) -> str | None:
    """``3672015708220001`` -> ``3672********0001``; short values fully masked."""
    if not nik:
        return nik
    if len(nik) < NIK_MASKED_SHORTER_THAN:
        return "*" * len(nik)
    kept = NIK_KEPT_DIGITS
    return nik[:kept] + "*" * (len(nik) - 2 * kept) + nik[-kept:]


@overload
def mask_name(name: str) -> str: ...
@overload
def mask_name(name: None) -> None: ...
def mask_name(name: str | None) -> str | None:
    """Initials only: ``Siti  nur Aminah`` -> ``S. N. A.``."""
    if not name:
        return name
    return " ".join(f"{word[0].upper()}." for word in name.split())
