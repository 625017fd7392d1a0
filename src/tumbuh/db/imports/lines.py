"""Report lines found by the database step, placed like the checks' own lines."""

from typing import Any

from tumbuh.growth.enums import Position, Sex
from tumbuh.ingest.batch import MeasurementRow, SourceFile
from tumbuh.ingest.layouts import Field, Layout, default_header
from tumbuh.ingest.report import ReportLine, Severity

SEX_LETTERS = {Sex.MALE: "L", Sex.FEMALE: "P"}
POSITION_WORDS = {Position.LENGTH: "Terlentang", Position.HEIGHT: "Berdiri"}


class Lines:
    """Collects the lines of the database step."""

    def __init__(self) -> None:
        self.lines: list[ReportLine] = []

    @staticmethod
    def label(row: MeasurementRow, where: Field) -> str:
        """The header of ``where`` as the row's file wrote it."""
        return _label(row.source, where)

    def row(
        self,
        row: MeasurementRow,
        where: Field | None,
        value: object,
        template: str,
        *,
        warning: bool = False,
        **params: Any,
    ) -> None:
        """Add a line about ``row`` (an error unless ``warning``)."""
        source = row.source
        self.lines.append(
            ReportLine(
                file=source.path.name,
                row=row.row,
                column=_label(source, where) if where is not None else None,
                value=value,
                severity=Severity.WARNING if warning else Severity.ERROR,
                template=template,
                params=params,
                file_index=source.index,
                column_index=source.columns.get(where, -1) if where is not None else -1,
            )
        )

    def file(self, source: SourceFile, template: str, **params: Any) -> None:
        """Add a warning about a whole file."""
        self.lines.append(
            ReportLine(
                file=source.path.name,
                row=None,
                column=None,
                value=None,
                severity=Severity.WARNING,
                template=template,
                params=params,
                file_index=source.index,
            )
        )

    def error_rows(self) -> set[tuple[int, int]]:
        """(file index, row) of the rows that got an error here."""
        return {
            (line.file_index, line.row)
            for line in self.lines
            if line.severity is Severity.ERROR and line.row is not None
        }


def _label(source: SourceFile, where: Field) -> str:
    return source.labels.get(where) or default_header(where, source.layout or Layout.A)
