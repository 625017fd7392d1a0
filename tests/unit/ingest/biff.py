"""A minimal Excel 97-2003 (.xls) writer, so tests can build real BIFF8 files in code.

No maintained Python library writes .xls any more, and e-PPGBM users still send them.
This writes one worksheet as a BIFF8 Workbook stream (MS-XLS: BOF, CODEPAGE, XF,
BOUNDSHEET8, EOF; LABEL, NUMBER and BOOLERR cells) inside an OLE2 compound file
(MS-CFB version 3, 512-byte sectors). Dates are NUMBER cells with a date format, as
Excel stores them.
"""

import struct
from collections.abc import Sequence
from datetime import date, datetime

_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_FATSECT = 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF
_SECTOR = 512
_MINI_STREAM_CUTOFF = 4096
_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_XF = 1  # index of the XF record that carries built-in format 14 (a date)


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    # BIFF8 (0x0600); kind 0x0005 = workbook globals, 0x0010 = worksheet.
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _xf(format_index: int) -> bytes:
    return _record(0x00E0, struct.pack("<HH", 0, format_index) + bytes(16))


def _cell(row: int, col: int, value: object) -> bytes:
    if isinstance(value, bool):
        return _record(0x0205, struct.pack("<HHHBB", row, col, 0, int(value), 0))
    if isinstance(value, int | float):
        return _record(0x0203, struct.pack("<HHHd", row, col, 0, float(value)))
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        serial = float((day - _EXCEL_EPOCH).days)
        return _record(0x0203, struct.pack("<HHHd", row, col, _DATE_XF, serial))
    text = str(value)
    encoded = text.encode("utf-16-le")
    return _record(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), 1) + encoded)


def biff8_stream(rows: Sequence[Sequence[object]], sheet: str = "Sheet1") -> bytes:
    """The Workbook stream of a one-sheet BIFF8 file (None cells are left empty)."""
    width = max((len(r) for r in rows), default=0)
    cells = b"".join(
        _cell(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None
    )
    dimensions = _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    worksheet = _bof(0x0010) + dimensions + cells + _record(0x000A, b"")
    name = sheet.encode("latin-1")

    def globals_part(position: int) -> bytes:
        boundsheet = struct.pack("<IBB", position, 0, 0) + bytes([len(name), 0]) + name
        return (
            _bof(0x0005)
            + _record(0x0042, struct.pack("<H", 1200))  # CODEPAGE: UTF-16
            + _xf(0)
            + _xf(14)  # built-in format 14: a date
            + _record(0x0085, boundsheet)
            + _record(0x000A, b"")
        )

    size = len(globals_part(0))
    return globals_part(size) + worksheet


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """An OLE2 compound file (MS-CFB v3) holding one stream in regular sectors."""
    stream = stream.ljust(max(len(stream), _MINI_STREAM_CUTOFF), b"\x00")
    stream = stream.ljust(-(-len(stream) // _SECTOR) * _SECTOR, b"\x00")
    n_stream = len(stream) // _SECTOR
    n_fat = 1
    while n_fat * (_SECTOR // 4) < n_fat + n_stream + 1:
        n_fat += 1
    first_stream, directory = n_fat, n_fat + n_stream
    fat = [_FATSECT] * n_fat
    fat += [first_stream + i + 1 for i in range(n_stream - 1)] + [_ENDOFCHAIN, _ENDOFCHAIN]
    fat += [_FREESECT] * (n_fat * _SECTOR // 4 - len(fat))
    difat = list(range(n_fat)) + [_FREESECT] * (109 - n_fat)
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 0x0009, 0x0006)
        + bytes(6)
        + struct.pack("<IIIII", 0, n_fat, directory, 0, _MINI_STREAM_CUTOFF)
        + struct.pack("<IIII", _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
        + struct.pack("<109I", *difat)
    )
    entries = (
        _entry("Root Entry", 5, child=1, start=_ENDOFCHAIN, size=0)
        + _entry(name, 2, child=_NOSTREAM, start=first_stream, size=len(stream))
        + _entry("", 0, child=_NOSTREAM, start=0, size=0) * 2
    )
    return header + struct.pack(f"<{len(fat)}I", *fat) + stream + entries


def _entry(name: str, kind: int, *, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1 if kind else 0)
        + struct.pack("<III", _NOSTREAM, _NOSTREAM, child)
        + bytes(16 + 4 + 8 + 8)
        + struct.pack("<IQ", start, size)
    )


def xls_bytes(rows: Sequence[Sequence[object]], sheet: str = "Sheet1") -> bytes:
    """A real .xls file (BIFF8 in a compound file) with ``rows`` on one sheet."""
    return compound_file(biff8_stream(rows, sheet))
