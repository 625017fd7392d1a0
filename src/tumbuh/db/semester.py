"""What the semester report reads that can change: the fingerprint of its inputs (issue 6).

The web keeps finished semester reports on disk under a name holding a data version
(:func:`tumbuh.usecases.reporting.data_version`); these are the records it is made from.
The figures themselves are read by the queries of the other reports.
"""

from collections.abc import Iterator

from sqlalchemy import Connection, func, select

from tumbuh.db.models import Measurement, Posyandu, table_of
from tumbuh.db.models_access import AuditEntry, PrevalenceTarget, SurveyFigure, TargetPopulation


def report_inputs(connection: Connection) -> Iterator[str]:
    """Text that changes whenever the report's records change: the largest measurement,
    audit and posyandu ids, then every target and survey figure, row by row."""
    for table in (table_of(Measurement), table_of(AuditEntry), table_of(Posyandu)):
        largest = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        yield f"{table.name}:{largest};"
    for model in (TargetPopulation, PrevalenceTarget, SurveyFigure):
        table = table_of(model)
        for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
            yield repr(tuple(row))
