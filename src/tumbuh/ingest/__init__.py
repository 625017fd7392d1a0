"""Reading users' files: tables, headers and values as people type them.

``check_files(paths, regions, today=...)`` reads e-PPGBM files (layouts A and B, as
.xlsx, .xls, HTML-as-.xls or .csv), checks every row and returns the typed
``ImportBatch`` ready for the database step, plus the ``ImportReport`` of every problem.
``write_report`` writes that report as .csv or .xlsx. See docs/import-format.md.
"""

from tumbuh.ingest.batch import ImportBatch, MeasurementRow, PosyanduName, SourceFile
from tumbuh.ingest.matching import ChildKey, child_key, normalise_name
from tumbuh.ingest.pipeline import check_files
from tumbuh.ingest.regions import RegionMatcher, RegionRecord
from tumbuh.ingest.report import ImportReport, ReportLine, Severity
from tumbuh.ingest.writers import write_report

__all__ = [
    "ChildKey",
    "ImportBatch",
    "ImportReport",
    "MeasurementRow",
    "PosyanduName",
    "RegionMatcher",
    "RegionRecord",
    "ReportLine",
    "Severity",
    "SourceFile",
    "check_files",
    "child_key",
    "normalise_name",
    "write_report",
]
