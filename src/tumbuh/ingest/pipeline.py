"""``check_files``: read e-PPGBM files, check every row, return the batch and the report.

Nothing is written anywhere: the database step (``tumbuh import eppgbm``) takes the
:class:`~tumbuh.ingest.batch.ImportBatch` and writes it in one transaction, or writes
nothing when the report has errors (unless rows with errors are skipped).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from tumbuh.errors import InputError
from tumbuh.ingest import messages as msg
from tumbuh.ingest.batch import ImportBatch, MeasurementRow, PosyanduName, SourceFile
from tumbuh.ingest.checks import CheckContext, LineSink, RowDraft, draft_rows
from tumbuh.ingest.layouts import REQUIRED, Field, HeaderMatch, default_header
from tumbuh.ingest.limits import FileLimitError, FileLimits
from tumbuh.ingest.matching import child_key
from tumbuh.ingest.places import posyandu_key
from tumbuh.ingest.reading import read_file
from tumbuh.ingest.regions import RegionMatcher, RegionRecord
from tumbuh.ingest.report import (
    ImportReport,
    OriginalSheet,
    ReportLine,
    Severity,
    line_order,
)
from tumbuh.ingest.scoring import check_batch_scores

Progress = Callable[[int, int], None]


def check_files(
    paths: Sequence[Path],
    regions: Iterable[RegionRecord],
    *,
    today: date | None = None,
    known_posyandu: Mapping[str, Iterable[str]] | None = None,
    progress: Progress | None = None,
    limits: FileLimits | None = None,
) -> tuple[ImportBatch, ImportReport]:
    """Read and check e-PPGBM files; every problem of every row is reported.

    ``regions`` is the kota's region list (kecamatan and kelurahan with their codes);
    ``today`` bounds measurement dates (default: the system date); ``known_posyandu``
    maps kelurahan codes to the posyandu names already registered there, so that new
    ones are listed. ``progress(done, total)`` is called after each file. ``limits``
    (default: :class:`FileLimits`'s, read in this process) bound each file; a file over
    one raises :class:`~tumbuh.ingest.limits.FileLimitError`: the import is refused whole.
    """
    known = None
    if known_posyandu is not None:
        known = {code: {posyandu_key(n) for n in names} for code, names in known_posyandu.items()}
    context = CheckContext(RegionMatcher(regions), today or date.today(), known)
    sources: list[SourceFile] = []
    sinks: list[LineSink] = []
    originals: list[OriginalSheet] = []
    drafts: list[tuple[SourceFile, RowDraft]] = []
    for index, path in enumerate(paths):
        source, sink, original, file_drafts = _check_file(path, index, context, limits)
        sources.append(source)
        sinks.append(sink)
        if original is not None:
            originals.append(original)
        drafts.extend((source, d) for d in file_drafts)
        if progress is not None:
            progress(index + 1, len(paths))
    only_drafts = [d for _, d in drafts]
    comparisons = check_batch_scores(only_drafts)
    _check_duplicates(drafts)
    posyandu = _posyandu(drafts, context)
    rows = tuple(_row(source, d) for source, d in drafts if not d.has_error and not d.repeated)
    lines = sorted((line for sink in sinks for line in sink.lines), key=line_order)
    report = ImportReport(
        lines=tuple(lines),
        rows_read=len(drafts),
        rows_valid=sum(not d.has_error for d in only_drafts),
        comparisons=comparisons,
        region_spellings=dict(context.region_spellings),
        originals=tuple(originals),
    )
    return ImportBatch(tuple(sources), rows, posyandu), report


def _check_file(
    path: Path, index: int, context: CheckContext, limits: FileLimits | None
) -> tuple[SourceFile, LineSink, OriginalSheet | None, list[RowDraft]]:
    """Read one file, find its header, and run the first pass over its rows."""
    sink = LineSink(path.name, index, None)
    try:
        read = read_file(path, limits or FileLimits())
    except FileLimitError:
        raise
    except InputError as error:
        sink.lines.append(_file_line(sink, error.template, error.params))
        return SourceFile(path, None, None, None, None, None, 0, index=index), sink, None, []
    sheet, header, rows = read.sheet, read.header, read.rows
    if header is None:
        sink.add(Severity.ERROR, None, None, None, msg.NO_HEADER)
        source = SourceFile(path, read.format, read.sha256, sheet, None, None, 0, index=index)
        return source, sink, None, []
    sink = LineSink(path.name, index, header)
    missing = _check_columns(header, sink)
    drafts = draft_rows(rows, header, sink, context)
    if missing:
        for draft in drafts:
            draft.has_error = True  # a required column is missing: no row can be written
    if not drafts:
        sink.add(Severity.WARNING, None, None, None, msg.NO_DATA_ROWS)
    source = SourceFile(
        path,
        read.format,
        read.sha256,
        sheet,
        header.layout,
        header.row_index + 1,
        len(drafts),
        index=index,
        labels=dict(header.labels),
        columns=dict(header.columns),
    )
    original = OriginalSheet(path.name, index, sheet, rows, header.row_index)
    return source, sink, original, drafts


def _file_line(sink: LineSink, template: str, params: Mapping[str, object]) -> ReportLine:
    return ReportLine(
        sink.file, None, None, None, Severity.ERROR, template, dict(params), sink.file_index
    )


def _check_columns(header: HeaderMatch, sink: LineSink) -> bool:
    """File-level errors for missing columns; True when a required one is missing."""
    missing = False
    for name in REQUIRED:
        if name not in header.columns:
            label = default_header(name, header.layout)
            row = header.row_index + 1
            sink.add(Severity.ERROR, row, None, None, msg.MISSING_COLUMN, column=label)
            missing = True
    if Field.WEIGHT not in header.columns and Field.HEIGHT not in header.columns:
        sink.add(
            Severity.ERROR,
            header.row_index + 1,
            None,
            None,
            msg.NO_MEASUREMENT_COLUMN,
            weight=default_header(Field.WEIGHT, header.layout),
            height=default_header(Field.HEIGHT, header.layout),
        )
        missing = True
    for duplicate in header.duplicates:
        row = header.row_index + 1
        sink.add(Severity.WARNING, row, None, duplicate, msg.DUPLICATE_COLUMN, column=duplicate)
    return missing


# Values compared when the same child has two rows for one date.
_COMPARED = (Field.WEIGHT, Field.HEIGHT, Field.MUAC, Field.OEDEMA, Field.PMT_KG)


def _check_duplicates(drafts: Sequence[tuple[SourceFile, RowDraft]]) -> None:
    """Same child and date twice: an exact repeat is imported once, different values
    block both rows; one NIK used for two different children blocks the later row."""
    by_date: dict[tuple[str, date], tuple[SourceFile, RowDraft]] = {}
    by_nik: dict[str, tuple[SourceFile, RowDraft]] = {}
    for source, draft in drafts:
        key = _key(draft)
        if draft.nik is not None:
            first = by_nik.setdefault(draft.nik, (source, draft))
            if first[1] is not draft and _another_child(first, draft):
                continue  # a NIK typed for two children says nothing about repeats
        if key is None or draft.measured_on is None:
            continue
        first = by_date.setdefault((key, draft.measured_on), (source, draft))
        if first[1] is draft:
            continue
        other_source, other = first
        differing = [
            draft.sink.label(f)
            for f in (*_COMPARED, Field.POSITION)
            if _compared_value(draft, f) != _compared_value(other, f)
        ]
        if differing:
            fields = ", ".join(differing)
            where = {"other": other.row, "file": other_source.path.name, "fields": fields}
            draft.error(None, msg.DUPLICATE_CONFLICT, **where)
            back = {"other": draft.row, "file": source.path.name, "fields": fields}
            other.error(None, msg.DUPLICATE_CONFLICT, **back)
        else:
            draft.repeated = True
            draft.warn(None, msg.DUPLICATE_REPEAT, other=other.row, file=other_source.path.name)


def _key(draft: RowDraft) -> str | None:
    if draft.nik is not None:
        return "nik:" + draft.nik
    identity = child_key(
        nik=None,
        name=draft.name,
        birth_date=draft.birth_date,
        sex=draft.sex,
        mother_name=draft.parent_name,
    ).identity
    return None if identity is None else "id:" + identity


def _compared_value(draft: RowDraft, name: Field) -> object:
    if name is Field.POSITION:
        return draft.position
    if name is Field.OEDEMA:
        return draft.oedema
    return draft.numbers.get(name)


def _another_child(first: tuple[SourceFile, RowDraft], draft: RowDraft) -> bool:
    """Report a NIK used for a different child (an error) or spelled differently."""
    source, other = first
    differing = [
        draft.sink.label(f)
        for f, a, b in (
            (Field.BIRTH_DATE, draft.birth_date, other.birth_date),
            (Field.SEX, draft.sex, other.sex),
        )
        if a is not None and b is not None and a != b
    ]
    where = {"other": other.row, "file": source.path.name}
    if differing:
        draft.error(Field.NIK, msg.NIK_SHARED, fields=", ".join(differing), **where)
        return True
    same_name = _normalised(draft.name) == _normalised(other.name)
    if not same_name and draft.name and other.name:
        draft.warn(Field.NIK, msg.NIK_SHARED_NAME, name=other.name, **where)
    return False


def _normalised(name: str | None) -> str:
    from tumbuh.ingest.matching import normalise_name

    return normalise_name(name) if name else ""


def _posyandu(
    drafts: Sequence[tuple[SourceFile, RowDraft]], context: CheckContext
) -> tuple[PosyanduName, ...]:
    """The posyandu named in known kelurahan; unknown ones are listed as warnings."""
    found: dict[tuple[str, str], PosyanduName] = {}
    for source, draft in drafts:
        if draft.kelurahan is None or not draft.posyandu:
            continue
        key = (draft.kelurahan.code, posyandu_key(draft.posyandu))
        if key in found:
            continue
        known = None
        if context.known_posyandu is not None:
            known = key[1] in context.known_posyandu.get(key[0], set())
            if not known:
                draft.warn(
                    Field.POSYANDU,
                    msg.NEW_POSYANDU,
                    value=draft.posyandu,
                    kelurahan=draft.kelurahan.name,
                )
        found[key] = PosyanduName(key[0], draft.posyandu, key[1], draft.row, source, known)
    return tuple(found.values())


def _row(source: SourceFile, draft: RowDraft) -> MeasurementRow:
    """The typed row of a draft that passed every check."""
    if (
        draft.name is None
        or draft.sex is None
        or draft.birth_date is None
        or draft.measured_on is None
        or draft.age_days is None
        or draft.kelurahan is None
        or draft.posyandu is None
    ):
        raise ValueError(f"row {draft.row} has no error but lacks a required value")
    numbers = draft.numbers
    vitamin = numbers.get(Field.VITAMIN_A)
    return MeasurementRow(
        source=source,
        row=draft.row,
        key=child_key(
            nik=draft.nik,
            name=draft.name,
            birth_date=draft.birth_date,
            sex=draft.sex,
            mother_name=draft.parent_name,
        ),
        nik=draft.nik,
        name=draft.name,
        sex=draft.sex,
        birth_date=draft.birth_date,
        parent_name=draft.parent_name,
        kecamatan_code=draft.kecamatan.code if draft.kecamatan else None,
        kelurahan_code=draft.kelurahan.code,
        posyandu=draft.posyandu,
        puskesmas=draft.text(Field.PUSKESMAS),
        rt=draft.text(Field.RT),
        rw=draft.text(Field.RW),
        address=draft.text(Field.ADDRESS),
        measured_on=draft.measured_on,
        age_days=draft.age_days,
        weight_kg=numbers.get(Field.WEIGHT),
        height_cm=numbers.get(Field.HEIGHT),
        position=draft.position,
        muac_cm=numbers.get(Field.MUAC),
        birth_weight_kg=numbers.get(Field.BIRTH_WEIGHT),
        birth_length_cm=numbers.get(Field.BIRTH_LENGTH),
        weight_trend=_trend(draft),
        vitamin_a_count=None if vitamin is None else int(vitamin),
        pmt_kg=numbers.get(Field.PMT_KG),
        has_buku_kia=draft.text(Field.KIA),
        raw_weight=draft.cells.get(Field.WEIGHT),
        raw_height=draft.cells.get(Field.HEIGHT),
        zscores=dict(draft.zscores),
        flags=dict(draft.flags),
        eppgbm_zscores=dict(draft.eppgbm),
        nomor_kk=draft.nomor_kk,
        parent_nik=draft.parent_nik,
        gestational_age_weeks=draft.gestational_weeks,
        oedema=draft.oedema,
        pmt_raw=_pmt_raw(draft),
        kpsp_result=draft.kpsp,
    )


PMT_RAW_LENGTH = 40  # characters of the PMT cell kept beside its value


def _pmt_raw(draft: RowDraft) -> str | None:
    """The PMT cell as written (trimmed), where it gave a value."""
    if Field.PMT_KG not in draft.numbers:
        return None
    text = draft.text(Field.PMT_KG)
    return text[:PMT_RAW_LENGTH] if text else None


def _trend(draft: RowDraft) -> str | None:
    text = draft.text(Field.WEIGHT_TREND)
    return text[0].upper() if text and text[0].upper() in "NTOB" else None
