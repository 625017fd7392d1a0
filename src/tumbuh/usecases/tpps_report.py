"""The TPPS's part of the semester report (issue 16): the semester's Audit Kasus Stunting,
the partners' commitments, the year's 8 aksi and its lokus kelurahan, gathered from their
own use cases as :class:`tumbuh.reports.tpps_data.TppsFigures` (docs/semester-report.md).

No scope: the report's readers see figures, and none of these parts names a child, a
mother or a catin. A kecamatan's report keeps its own lokus, the audit's cases, locus
and RTL items in its kelurahan, and the actions there or for the whole city; the 8 aksi
are the city's.
"""

from dataclasses import replace
from datetime import date

from sqlalchemy import Connection

from tumbuh.growth.periods import Period
from tumbuh.reports.tpps_data import ActionLine, TppsFigures
from tumbuh.usecases.actions import commitment_lines
from tumbuh.usecases.aks import audit_figures
from tumbuh.usecases.aksi import aksi_lines
from tumbuh.usecases.lokus import lokus_lines


def _inside(line: ActionLine, kelurahan: frozenset[str] | None) -> bool:
    """Whether an action belongs in the report of the area of ``kelurahan`` (None: the
    city): one for the whole city does, one in (or by the office of) another area does not."""
    code = line.area_code
    if kelurahan is None or code is None:
        return True
    return code in kelurahan or any(k.startswith(code + ".") for k in kelurahan)


def tpps_figures(
    connection: Connection, semester: Period, cut_off: date, kelurahan: frozenset[str] | None
) -> TppsFigures:
    """The audit, commitments, aksi and lokus of ``semester`` as of ``cut_off``; with
    ``kelurahan`` (a kecamatan's report) only the lokus and actions that lie there or
    serve the whole city. A part with nothing recorded is None."""
    commitments = tuple(c for c in commitment_lines(connection, cut_off) if _inside(c, kelurahan))
    audit = audit_figures(connection, semester, cut_off, kelurahan)
    if audit is not None and kelurahan is not None:
        audit = replace(
            audit,
            rtl=tuple(a for a in audit.rtl if _inside(a, kelurahan)),
            previous_rtl=tuple(a for a in audit.previous_rtl if _inside(a, kelurahan)),
        )
    lokus = lokus_lines(connection, semester.year)
    if lokus is not None and kelurahan is not None:
        lokus = tuple(line for line in lokus if line.kelurahan_code in kelurahan) or None
    return TppsFigures(
        audit=audit,
        commitments=commitments or None,
        aksi=aksi_lines(connection, semester.year, cut_off),
        lokus=lokus,
    )
