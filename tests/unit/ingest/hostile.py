"""Hostile spreadsheets built in code: a decompression bomb, sheets that declare or hide a
huge size. Each is a real .xlsx that calamine opens (the smallest set of parts it needs);
the bomb is about a megabyte on disk and unpacks to :data:`BOMB_MB` MB."""

import zipfile
from collections.abc import Iterable
from pathlib import Path

BOMB_MB = 256
_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    b'worksheet+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def cell(reference: str, value: str) -> bytes:
    """One inline-string cell."""
    return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'.encode()


def write_sheet_xlsx(path: Path, dimension: str | None, rows: Iterable[bytes]) -> Path:
    """An .xlsx whose one sheet declares ``dimension`` (None: no dimension) and holds the
    ``rows`` XML, streamed into the archive."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START)
            if dimension is not None:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for row in rows:
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return path


_BOMB_ROW = b"<row>" + b"<c><v>1</v></c>" * 20 + b"</row>"  # 20 numbers, no positions
_BOMB_BLOCK = _BOMB_ROW * (1024 * 1024 // len(_BOMB_ROW))


def bomb_rows(unpacked_mb: int = BOMB_MB) -> int:
    """The rows of :func:`write_bomb`'s sheet: its header and the repeated row."""
    return 1 + unpacked_mb * (len(_BOMB_BLOCK) // len(_BOMB_ROW))


def write_bomb(path: Path, unpacked_mb: int = BOMB_MB) -> Path:
    """A decompression bomb: a header row, then the same row of 20 numbers repeated until
    the sheet XML is ``unpacked_mb`` MB (about 17 million cells); its dimension claims two
    rows."""
    header = b'<row r="1">' + cell("A1", "NIK") + cell("B1", "Nama") + b"</row>"
    return write_sheet_xlsx(path, "A1:B2", [header, *([_BOMB_BLOCK] * unpacked_mb)])


def write_declared(path: Path, dimension: str) -> Path:
    """A two-row sheet whose dimension declares ``dimension``."""
    rows = [b'<row r="1">' + cell("A1", "NIK") + b"</row>"]
    rows.append(b'<row r="2">' + cell("A2", "3672015708220001") + b"</row>")
    return write_sheet_xlsx(path, dimension, rows)


def write_far_cell(path: Path, reference: str) -> Path:
    """A sheet of two rows that claims to be A1:A2 and has its second cell at
    ``reference`` (say XFD1048576): parsed as a dense grid, it spans everything between."""
    row_number = "".join(c for c in reference if c.isdigit())
    rows = [b'<row r="1">' + cell("A1", "NIK") + b"</row>"]
    rows.append(f'<row r="{row_number}">'.encode() + cell(reference, "x") + b"</row>")
    return write_sheet_xlsx(path, "A1:A2", rows)
