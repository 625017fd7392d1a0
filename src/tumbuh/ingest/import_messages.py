"""Messages of the database step of an import and of the checks added with it (issue 4,
part 2), as English message ids; the Indonesian text is in ``imports.po``.

Like :mod:`tumbuh.ingest.messages`, each says what was found and what to do.
docs/import-format.md lists them all.
"""

# --- values an export hid, and layout B's family columns ----------------------------------
# What an import's report shows in place of a NIK (personal data; docs/security.md)
NIK_NOT_SHOWN = "(not shown)"
NIK_MASKED = (
    "the NIK is masked ({value}), as in an export made without --unmask, so the child "
    "cannot be matched; import an export with NIK and names shown, or type the full NIK"
)
NAME_MASKED = (
    "{column} is masked ({value}), as in an export made without --unmask, so the child "
    "cannot be matched; import an export with NIK and names shown, or type the full name"
)
PARENT_NIK_INVALID = (
    "{column} is not a valid 16-digit NIK; it is not stored; check it against the KK"
)
NOMOR_KK_INVALID = (
    "{column} is not a valid 16-digit family card number; it is not stored; check it against the KK"
)
TEXT_TOO_LONG = "{column} has {length} characters, more than the {limit} Tumbuh keeps; shorten it"
GESTATION_IMPLAUSIBLE = (
    "'{value}' is not a gestational age in weeks (plausible: {low} to {high}); the value is "
    "not stored"
)

# --- matching rows to the children in the database ----------------------------------------
# A registered child's stored identity is never quoted: the report may be read by someone
# whose area does not include that child (docs/security.md, section 5). The messages say
# which fields differ, the name only by its initials, and another NIK not at all.
NIK_OTHER_CHILD = (
    "this NIK is registered in Tumbuh for another child (another {fields}); each child has "
    "their own NIK; check it against the KK"
)
NIK_OTHER_NAME = (
    "this NIK is registered in Tumbuh under another name (initials {initials}); the row is "
    "added to that child; check the spelling"
)
IDENTITY_OTHER_NIK = (
    "no child has this NIK yet, but a child with the same name, birth date, sex and parent's "
    "name is registered with another NIK; a new child is created; if it is the same child, "
    "correct the NIK"
)
IDENTITY_SEVERAL = (
    "{count} children without a NIK are registered with this name, birth date, sex and "
    "parent's name, so the NIK cannot be given to one of them; a new child is created"
)
IDENTITY_AMBIGUOUS = (
    "{count} registered children have this name, birth date, sex and parent's name; fill in "
    "the NIK so that the row finds its child"
)

# --- measurements the database already holds ---------------------------------------------
CONFLICT_DATABASE = (
    "Tumbuh already holds a measurement of this child on {date} with other values "
    "({stored}; {source}); the row is not imported; correct the row, or the record in Tumbuh"
)
CONFLICT_DATABASE_FILE = (
    "Tumbuh already holds a measurement of this child on {date} with other values "
    "({stored}; imported from {file}, row {other}); the row is not imported; correct the "
    "row, or the record in Tumbuh"
)
ALREADY_IMPORTED_FILE = (
    "this file was already imported on {date}; rows already in the database are not added again"
)

# --- words used inside messages -----------------------------------------------------------
TYPED_IN = "typed in"
GENERATED = "generated for the demo city"

ALL_TEMPLATES: tuple[str, ...] = tuple(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)
