"""Every message of the import report, as English message ids (see ingest.po).

Each says what was found and what to do; where it is cheap it names the likely slip.
``{column}`` is a header as the file wrote it; numbers and dates are formatted for the
reader's language when the report is rendered. docs/import-format.md lists them all.

The unit and typing slips (:class:`~tumbuh.ingest.plausibility.Slip`) have their one
catalogue here: :data:`SLIP_MESSAGES` for the import report, :data:`SLIP_FORM_MESSAGES`
for the web entry form, which names the field instead of the age and the plausible range.
"""

from tumbuh.ingest.plausibility import Slip

# --- the whole file ---------------------------------------------------------------------
NO_HEADER = (
    "no header row found in the first 30 rows; the header must name at least 4 e-PPGBM "
    "columns, such as NIK, Nama, JK, Tgl Lahir, Tanggal Pengukuran, Berat, Tinggi"
)
MISSING_COLUMN = "column {column} is missing; add it with this header"
NO_MEASUREMENT_COLUMN = "the file has neither a {weight} nor a {height} column; add at least one"
DUPLICATE_COLUMN = "column {column} appears more than once; only the first one is read"
NO_DATA_ROWS = "there are no data rows below the header"

# --- missing values and rows -------------------------------------------------------------
EMPTY_REQUIRED = "{column} is empty; fill it in"
NO_MEASUREMENT = "{weight} and {height} are both empty; fill in at least one of them"
NOT_IDENTIFIABLE = (
    "the child cannot be identified: there is no NIK and no parent's name; fill in the NIK "
    "or {parent}"
)
NOT_IDENTIFIABLE_NAME = (
    "the child cannot be identified: there is no NIK and {column} holds no letters to "
    "compare; fill in the NIK or write the name"
)
IGNORED_ROW = "the row holds no child data (no name, NIK, dates or measurements); it is ignored"

# --- numbers ------------------------------------------------------------------------------
NOT_A_NUMBER = "'{value}' is not a number; write digits with a decimal comma, e.g. 12,5"
DOUBLE_SEPARATOR = "'{value}' has two decimal separators; probably {guess} was meant"
TRAILING_TEXT = "'{value}' has text after the number; write only the number, probably {guess}"
PLACEHOLDER = (
    "{value} is a placeholder, not a measurement; write the measured value or leave the cell empty"
)
SPREADSHEET_ERROR = "the cell holds a spreadsheet error ({value}); type the value itself"
NEGATIVE = "{value} is negative; a measurement is never below zero, perhaps {guess} was meant"
WRONG_UNIT = "the value is written in {unit}, but this column is in {expected}; write {guess}"
OPTIONAL_NOT_A_NUMBER = "'{value}' is not a number; the value is ignored"

# --- PMT received (kg), layout A's PMT Diterima (kg) ---------------------------------------
PMT_NOT_A_NUMBER = (
    "'{value}' is not an amount of PMT; write the kg received with a decimal comma (e.g. "
    "1,5), 0 when none was received, or leave the cell empty"
)
PMT_NEGATIVE = "{value} is negative; PMT received is 0 kg or more; perhaps {guess} was meant"
PMT_GRAMS = (
    "{value} kg of PMT is more than the {high} kg accepted; probably written in grams: "
    "write {guess}"
)
PMT_TOO_MUCH = (
    "{value} kg of PMT is more than the {high} kg accepted (a 90-day ration of PMT "
    "biscuits is about 11 kg); check the value and write it in kg, e.g. 1,5"
)

# --- plausibility (docs/import-format.md, "Plausible values") ----------------------------
SLIP_GRAMS = (
    "{value} kg is not plausible at {months} months (plausible: {low} to {high} kg); "
    "probably written in grams: write {guess}"
)
SLIP_DECIMAL_LOST = (
    "{value} {unit} is not plausible at {months} months (plausible: {low} to {high} {unit}); "
    "the decimal comma is probably missing: write {guess}"
)
SLIP_DECIMAL_MISPLACED = (
    "{value} {unit} is not plausible at {months} months (plausible: {low} to {high} {unit}); "
    "the decimal comma is probably in the wrong place: write {guess}"
)
SLIP_MILLIMETRES = (
    "{value} cm is not plausible at {months} months (plausible: {low} to {high} cm); "
    "probably written in mm: write {guess}"
)
SLIP_METRES = (
    "{value} cm is not plausible at {months} months (plausible: {low} to {high} cm); "
    "probably written in metres: write {guess}"
)
# The import report's message for each slip found at a known age.
SLIP_MESSAGES: dict[Slip, str] = {
    Slip.GRAMS: SLIP_GRAMS,
    Slip.DECIMAL_LOST: SLIP_DECIMAL_LOST,
    Slip.DECIMAL_MISPLACED: SLIP_DECIMAL_MISPLACED,
    Slip.MILLIMETRES: SLIP_MILLIMETRES,
    Slip.METRES: SLIP_METRES,
}
# The same slips as the entry form says them, beside the field ({field}: its label).
SLIP_FORM_MESSAGES: dict[Slip, str] = {
    Slip.GRAMS: "{field}: {value} looks like grams; did you mean {guess} kg?",
    Slip.DECIMAL_LOST: "{field}: {value} looks like a lost decimal point; did you mean {guess}?",
    Slip.DECIMAL_MISPLACED: "{field}: {value} looks like a misplaced decimal point; did you "
    "mean {guess}?",
    Slip.MILLIMETRES: "{field}: {value} looks like millimetres; did you mean {guess} cm?",
    Slip.METRES: "{field}: {value} looks like metres; did you mean {guess} cm?",
}
SLIP_UNKNOWN_AGE = (
    "{value} {unit} is not plausible for a child under five; probably a slip: write {guess}"
)
OUTSIDE_ENVELOPE = (
    "{value} {unit} is not plausible for any child under five ({low} to {high} {unit}); "
    "check the measurement and its unit"
)

# --- dates --------------------------------------------------------------------------------
NOT_A_DATE = "'{value}' is not a date; write it as dd/mm/yyyy, e.g. 17/08/2024"
IMPOSSIBLE_DATE = "{value} is not a real date (there is no such day); check the day and month"
MONTH_FIRST = "{value} is written month first; write the day first: {guess}"
BEFORE_BIRTH = "measured on {measured}, before the birth date {born}; check both dates"
BEFORE_BIRTH_SWAPPED = (
    "measured on {measured}, before the birth date {born}; day and month of the birth "
    "date are probably swapped: {guess}"
)
IN_FUTURE = "measured on {value}, after today ({today}); check the date"
IN_FUTURE_SWAPPED = (
    "measured on {value}, after today ({today}); day and month are probably swapped: {guess}"
)
TOO_OLD = (
    "the child was {years} years {months} months old when measured; e-PPGBM balita data "
    "cover 0 to 59 months; check the birth date, or leave this row out"
)
AGE_TEXT_MISMATCH = (
    "{column} says {value}, but the dates give {years} years {months} months {days} days; "
    "check the birth date"
)

# --- NIK ----------------------------------------------------------------------------------
NIK_SCIENTIFIC = (
    "the NIK is shown as {value}: the spreadsheet turned it into a number and its last "
    "digits are lost; format the column as Text and type the NIK again from the KK, or "
    "leave it empty"
)
NIK_TRUNCATED = (
    "the NIK is stored as a number: Excel keeps only 15 digits, so its last digit may have "
    "become 0; format the column as Text and type the NIK again from the KK, or leave it empty"
)
NIK_WRONG_LENGTH = (
    "the NIK has {digits} digits instead of 16; check it against the KK, or leave it empty"
)
NIK_NOT_DIGITS = (
    "a NIK is 16 digits, without letters or signs; check it against the KK, or leave it empty"
)
NIK_PLACEHOLDER = "{value} is a placeholder, not a NIK; leave the cell empty if there is no NIK"
NIK_BIRTH_DATE_MISMATCH = (
    "the NIK encodes the birth date {nik_date}, but {column} is {born}; it may be a parent's "
    "NIK or a wrong birth date; check both against the KK"
)
NIK_SEX_MISMATCH = (
    "the NIK is a {nik_sex}'s NIK (women's day of birth is written plus 40), but {column} is "
    "{sex}; check both against the KK"
)
NIK_DATE_INVALID = "digits 7 to 12 of the NIK are not a birth date (DDMMYY); check the NIK"

# --- codes --------------------------------------------------------------------------------
UNKNOWN_SEX = "'{value}' is not a sex; write L (laki-laki) or P (perempuan)"
UNKNOWN_POSITION = (
    "'{value}' is not a measuring position; write Terlentang or Berdiri; the row is "
    "imported without it (WHO then decides by age)"
)
UNKNOWN_OEDEMA = (
    "'{value}' is not an oedema answer; write ya or tidak (also accepted: y/t, 1/0, "
    "true/false), or leave the cell empty for no oedema"
)
STANDING_TOO_YOUNG = (
    "measured standing at {months} months; WHO counts a child under 9 months as measured "
    "lying; check the position"
)
UNKNOWN_TREND = "'{value}' is not N, T, O or B; the value is ignored"

# --- regions and posyandu -----------------------------------------------------------------
OTHER_KOTA = "{value} is not {kota}; this row belongs to another kab/kota; remove it"
UNKNOWN_KECAMATAN = "kecamatan '{value}' is not in {kota}; write one of its kecamatan"
UNKNOWN_KECAMATAN_SUGGEST = (
    "kecamatan '{value}' is not in {kota}; did you mean {suggestions}? Write the name as "
    "Kemendagri does"
)
UNKNOWN_KELURAHAN = "kelurahan '{value}' is not in kecamatan {kecamatan}; check the name"
UNKNOWN_KELURAHAN_SUGGEST = (
    "kelurahan '{value}' is not in kecamatan {kecamatan}; did you mean {suggestions}?"
)
KELURAHAN_ELSEWHERE = (
    "kelurahan '{value}' is in kecamatan {other}, not in {kecamatan}; correct the kecamatan "
    "or the kelurahan"
)
UNKNOWN_KELURAHAN_CITY = "kelurahan '{value}' is not in {kota}; check the name"
NEW_POSYANDU = (
    "posyandu '{value}' is not registered yet in kelurahan {kelurahan}; it will be created"
)

# --- the same child twice -----------------------------------------------------------------
DUPLICATE_CONFLICT = (
    "the same child and measurement date as row {other} of {file}, but with other values "
    "({fields}); keep the right row and delete the other"
)
DUPLICATE_REPEAT = "repeats row {other} of {file} exactly; it is imported once"
NIK_SHARED = (
    "the same NIK is in row {other} of {file} for another child ({fields} differ); each "
    "child has their own NIK; check it against the KK"
)
NIK_SHARED_NAME = (
    "the same NIK is in row {other} of {file} with the name {name}; check the spelling"
)

# --- z-scores -----------------------------------------------------------------------------
WHO_FLAG = (
    "{indicator} z-score {z} is outside WHO's plausible limits ({low} to {high}); the row is "
    "imported but left out of prevalence; check the measurement and the birth date"
)
EPPGBM_CATEGORY_DIFFERS = (
    "e-PPGBM's {indicator} ({theirs}) differs from Tumbuh's ({ours}, z = {z}); Tumbuh "
    "computes WHO z-scores exactly as WHO anthro does"
)

# --- words used inside messages -----------------------------------------------------------
MALE = "boy"
FEMALE = "girl"
SEVERITY_WORDS = ("error", "warning")

ALL_TEMPLATES: tuple[str, ...] = tuple(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)
