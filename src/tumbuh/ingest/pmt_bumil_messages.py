"""Messages of the import of e-PPGBM's file of pregnant women with KEK
(:mod:`tumbuh.ingest.pmt_bumil_file`, :mod:`tumbuh.usecases.pmt_bumil_import`), as English
message ids; the Indonesian text is in ``bumil_import.po``. Where a message of the other
imports says the same (a date, a number, a NIK), that one is used. No message holds a
NIK: a row is named by its number, and the NIK column's value is never shown.
"""

# --- the whole file ------------------------------------------------------------------------
NOT_A_BUMIL_FILE = (
    "no header row of e-PPGBM's list of pregnant women with KEK found in the first 30 rows; "
    "it names NIK Ibu, Nama Ibu, Tanggal Mulai PMT, LiLA Awal, LiLA Akhir, Keterangan"
)
BUMIL_FILE_WORD = "list of pregnant women with KEK"
FORMULA = (
    "the cell holds a formula; Tumbuh does not read formulas; write the value itself (copy, "
    "then paste values only)"
)

# --- one row -------------------------------------------------------------------------------
NIK_REQUIRED = (
    "the mother's NIK is empty; a row finds its pregnancy by the mother's NIK; fill it in "
    "from the KK"
)
MUAC_NOT_PLAUSIBLE = "{value} cm is not accepted as a LiLA; write a number from {low} to {high} cm"
MUAC_IN_MM = (
    "{value} cm is not accepted as a LiLA ({low} to {high} cm); probably written in mm: "
    "write {guess}"
)
DAYS_NOT_A_COUNT = "'{value}' is not accepted; write the number of days fed, from 1 to {high}"
DAYS_BEYOND_SPAN = (
    "{value} days fed, but the PMT ran {span} days from its start to its end; check the "
    "days and both dates"
)
UNKNOWN_STATUS = (
    "'{value}' is not accepted; write selesai, pulih, tidak pulih, drop out, pindah or "
    "rujuk, or leave it empty while the PMT runs"
)
ENDED_NEEDS_END_DATE = (
    "the PMT is said to have ended ({status}), but {column} is empty; fill in the day it ended"
)
END_WITHOUT_STATUS = (
    "the PMT has an end date but no status; it is recorded as ended without an outcome; "
    "write selesai, pulih, tidak pulih, drop out, pindah or rujuk"
)
COMPLETED_WITHOUT_MUAC = (
    "selesai without the LiLA at the end; it is recorded as ended without an outcome; "
    "fill in {column} to judge recovery (23.5 cm or more)"
)
STATUS_OVERRULED = (
    "the file says {status}, but the LiLA at the end is {muac} cm; recovery is judged by "
    "the LiLA (23.5 cm or more), so it is recorded as {judged}"
)
START_MUAC_NOT_KEK = (
    "the LiLA at the start is {value} cm, not under 23.5 cm: not KEK; the episode is "
    "recorded as the file says it"
)
RECOVERED_WORD = "recovered"
NOT_RECOVERED_WORD = "not recovered"

# --- against the database (tumbuh.usecases.pmt_bumil_import) ------------------------------
MOTHER_NOT_FOUND = (
    "no pregnant woman with this NIK is registered in your area (the NIK is not shown); "
    "register her pregnancy first, or check the NIK against the KK"
)
NO_PREGNANCY_AT_START = (
    "{value} does not fall within a pregnancy of this woman registered in your area (from "
    "its HPHT or first visit K1 to its end); register the pregnancy or check the date"
)
BIRTH_DATE_DIFFERS = (
    "the registered woman with this NIK has another birth date; the episode is added to "
    "her pregnancy: check that the NIK is hers"
)
EPISODE_PRESENT = (
    "this episode is already recorded (same pregnancy and start); it is not added again"
)
OPEN_EPISODE_EXISTS = (
    "the pregnancy already has a PMT episode running since {since}; this one has not ended "
    "either, so it cannot be added beside it; end the other episode first"
)
ALL_TEMPLATES: tuple[str, ...] = tuple(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)
