"""Messages of the PMT history files (:mod:`tumbuh.ingest.pmt_history`), as English
message ids; the Indonesian text is in ``pmt_history.po`` and docs/import-format.md §13
lists them all. Where a message of the e-PPGBM import says the same (a date, a number, a
NIK), the history files use that one.
"""

# --- the whole file ------------------------------------------------------------------------
NOT_A_HISTORY = (
    "no header row of a PMT history file found in the first 30 rows; e-PPGBM's toddler "
    "history has Tanggal Pengukuran Awal, BB Awal, BB Akhir, Siklus PMT; its pregnancy "
    "history has Tanggal Pemberian Pertama, Alasan Diberi, Berat Badan Awal, Status PMT"
)
MISSING_HISTORY_COLUMN = "column {column} is missing; a {kind} needs it; add it with this header"
UNKNOWN_INDICATION = (
    "the file name does not say which PMT this is; name the file as e-PPGBM does "
    "(Daftar-Riwayat-PMT-Gikur, Daftar-Riwayat-PMT-Underweight, Daftar Riwayat T) or "
    "choose the indication when importing"
)
INDICATION_NOT_FOR_TODDLERS = (
    "this is a toddler history, but {indication} is an indication for pregnant women; "
    "choose gizi kurang, BB kurang or T"
)
TODDLER_HISTORY = "toddler PMT history"
PREGNANCY_HISTORY = "pregnancy PMT history"

# --- one row -------------------------------------------------------------------------------
NIK_REQUIRED = (
    "the NIK is empty; a PMT history row finds its child (or mother) by NIK only; fill it "
    "in from the KK"
)
START_REQUIRED = "{column} is empty; the start of the PMT is needed; fill it in"
START_IN_FUTURE = "{value} is after today ({today}); check the date"
END_BEFORE_START = "the end {value} is before the start {start}; check both dates"
TOO_LONG = (
    "{column} holds {length} characters, more than the {limit} a PMT history cell may hold; "
    "check that this is the right file and column"
)
WEIGHT_NOT_PLAUSIBLE_MOTHER = (
    "{value} kg is not plausible for a pregnant woman ({low} to {high} kg); check the weight "
    "and its unit"
)
WEIGHT_GRAMS_MOTHER = (
    "{value} kg is not plausible for a pregnant woman ({low} to {high} kg); probably written "
    "in grams: write {guess}"
)
UNKNOWN_FUNDING = (
    "'{value}' is not a funding source Tumbuh knows (APBD; DAK or BOK; BAZNAS; CSR; Bapak "
    "Asuh; APBN, Dana Desa or swadaya count as other); it is recorded as other"
)
UNKNOWN_REASON = (
    "'{value}' is not a reason e-PPGBM gives; write Kurang Energi Kronis or Risiko KEK; the "
    "reason is left empty"
)
UNKNOWN_STATUS = "'{value}' is not a PMT status; write Selesai, or - while it runs; ignored"
NOT_A_COUNT = "'{value}' is not a whole number ({column}); the value is ignored"
REPEATED_ROW = "repeats row {other} exactly (same NIK and start); it is read once"
REPEATED_CONFLICT = (
    "the same NIK and start as row {other}, but with other values ({fields}); keep the right "
    "row and delete the other"
)

# --- against the database (tumbuh.usecases.pmt_history) ------------------------------------
CHILD_NOT_FOUND = (
    "no child with this NIK is registered in your area; import the child's e-PPGBM "
    "measurements first, or check the NIK against the KK"
)
BIRTH_DATE_DIFFERS = (
    "the registered child with this NIK has another birth date than {column} says; the "
    "episode is added to that child: check that the NIK is the child's"
)
EPISODE_PRESENT = (
    "this episode is already recorded (same {who}, PMT and start); it is not added again"
)
OPEN_EPISODE_EXISTS = (
    "the child already has a PMT episode running since {since}; this one has not ended "
    "either, so it cannot be added beside it; end the other episode first"
)
NOT_IN_AREA = (
    "this woman cannot be recorded from your area (her kelurahan is not in it); ask "
    "someone who covers her kelurahan to import this row"
)
KELURAHAN_NEEDED = (
    "'{value}' is not a kelurahan of the city; a woman not registered yet needs her "
    "kelurahan to be recorded; write it as Kemendagri does"
)
CHILD_WORD = "child"
MOTHER_WORD = "woman"

ALL_TEMPLATES: tuple[str, ...] = tuple(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)
