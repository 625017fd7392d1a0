"""Which child each row is about: a registered child, or a new one (docs/import-format.md §6).

The rule, applied to the rows that passed every check:

1. A row with a NIK belongs to the registered child with that NIK. If that child's
   birth date or sex differ, the NIK is someone else's: an error. A different name is
   only a warning.
2. A NIK not registered yet is looked up by identity (normalised name + birth date +
   sex + parent's name). A registered child with that identity and no NIK gets the NIK
   attached; one whose stored NIK differs is never taken (a new child is created, with a
   warning naming the other NIK).
3. A row without a NIK belongs to the one registered child with its identity, whatever
   that child's NIK; several such children are an error (the NIK must decide).
4. Otherwise the row starts a new child, shared by the other rows with the same NIK, or,
   without a NIK, by the rows with the same identity (joining the one new child with a
   NIK that has this identity).

Rows are taken in file order, NIK rows first, so the result is the same every time.
New children are numbered -1, -2, ...: a reference below zero is a child to create.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from tumbuh.db.imports.lines import Lines
from tumbuh.db.imports.stored import StoredChild
from tumbuh.ingest import import_messages as msg
from tumbuh.ingest.batch import MeasurementRow
from tumbuh.ingest.layouts import Field
from tumbuh.ingest.matching import child_key, normalise_name
from tumbuh.ingest.report import Listing
from tumbuh.privacy import mask_name


@dataclass
class NewChild:
    """A child to create, with the rows that found it (first row first)."""

    ref: int  # -1, -2, ...
    nik: str | None
    rows: list[MeasurementRow] = field(default_factory=list)


@dataclass
class Matching:
    """Each row's child (``refs[i]`` for ``rows[i]``; None when the row has an error)."""

    refs: list[int | None]
    new_children: dict[int, NewChild]
    attached_niks: dict[int, str]  # registered child id -> NIK given to it now
    stored: dict[int, StoredChild]  # the registered children read for this import
    by_nik: int = 0  # rows matched to a registered child by NIK
    by_identity: int = 0  # rows matched to a registered child by identity


def stored_identity(child: StoredChild) -> str | None:
    """The identity key of a registered child (None without a mother's name)."""
    return child_key(
        nik=None,
        name=child.name,
        birth_date=child.birth_date,
        sex=child.sex,
        mother_name=child.mother_name,
    ).identity


class ChildMatcher:
    """Applies the matching rule to the rows of one import against the stored children."""

    def __init__(self, stored: Sequence[StoredChild], lines: Lines) -> None:
        self.lines = lines
        self.stored = {c.id: c for c in stored}
        self.by_nik = {c.nik: c for c in stored if c.nik}
        self.by_identity: dict[str, list[StoredChild]] = defaultdict(list)
        for child in stored:
            identity = stored_identity(child)
            if identity is not None:
                self.by_identity[identity].append(child)
        self.new: dict[int, NewChild] = {}
        self.new_by_nik: dict[str, int] = {}
        self.new_by_identity: dict[str, list[int]] = defaultdict(list)
        self.attached: dict[int, str] = {}  # stored child id -> NIK attached in this import
        self.attached_by_nik: dict[str, int] = {}
        self.counts = {"nik": 0, "identity": 0}

    def match(self, rows: Sequence[MeasurementRow]) -> Matching:
        """The child of every row."""
        refs: list[int | None] = [None] * len(rows)
        for i, row in enumerate(rows):
            if row.nik is not None:
                refs[i] = self._with_nik(row, row.nik)
        for i, row in enumerate(rows):
            if row.nik is None:
                refs[i] = self._without_nik(row)
        for i, ref in enumerate(refs):
            if ref is not None and ref < 0:
                self.new[ref].rows.append(rows[i])
        return Matching(
            refs,
            self.new,
            self.attached,
            self.stored,
            self.counts["nik"],
            self.counts["identity"],
        )

    def _with_nik(self, row: MeasurementRow, nik: str) -> int | None:
        stored = self.by_nik.get(nik)
        if stored is not None:
            return self._registered_nik(row, stored)
        if nik in self.new_by_nik:
            return self.new_by_nik[nik]
        if nik in self.attached_by_nik:
            self.counts["identity"] += 1
            return self.attached_by_nik[nik]
        candidates = self.by_identity.get(row.key.identity or "", [])
        free = [c for c in candidates if c.nik is None and c.id not in self.attached]
        if len(free) == 1:
            self.attached[free[0].id] = nik
            self.attached_by_nik[nik] = free[0].id
            self.counts["identity"] += 1
            return free[0].id
        if len(free) > 1:
            self.lines.row(row, Field.NIK, nik, msg.IDENTITY_SEVERAL, warning=True, count=len(free))
        elif candidates:
            self.lines.row(row, Field.NIK, nik, msg.IDENTITY_OTHER_NIK, warning=True)
        ref = self._new_child(nik)
        self.new_by_nik[nik] = ref
        if row.key.identity is not None:
            self.new_by_identity[row.key.identity].append(ref)
        return ref

    def _registered_nik(self, row: MeasurementRow, stored: StoredChild) -> int | None:
        differing = []
        if stored.birth_date != row.birth_date:
            differing.append(self.lines.label(row, Field.BIRTH_DATE))
        if stored.sex is not row.sex:
            differing.append(self.lines.label(row, Field.SEX))
        if differing:
            fields = Listing(tuple(differing))
            self.lines.row(row, Field.NIK, row.nik, msg.NIK_OTHER_CHILD, fields=fields)
            return None
        if normalise_name(stored.name) != normalise_name(row.name):
            initials = mask_name(stored.name)
            self.lines.row(
                row, Field.NAME, row.name, msg.NIK_OTHER_NAME, warning=True, initials=initials
            )
        self.counts["nik"] += 1
        return stored.id

    def _without_nik(self, row: MeasurementRow) -> int | None:
        identity = row.key.identity
        if identity is None:  # pragma: no cover - check_files blocks such rows
            raise ValueError(f"row {row.row} has neither NIK nor identity")
        candidates = self.by_identity.get(identity, [])
        if len(candidates) == 1:
            self.counts["identity"] += 1
            return candidates[0].id
        news = self.new_by_identity.get(identity, [])
        if len(candidates) > 1 or len(news) > 1:
            count = len(candidates) or len(news)
            self.lines.row(row, Field.NAME, row.name, msg.IDENTITY_AMBIGUOUS, count=count)
            return None
        if news:
            return news[0]
        ref = self._new_child(None)
        self.new_by_identity[identity].append(ref)
        return ref

    def _new_child(self, nik: str | None) -> int:
        ref = -(len(self.new) + 1)
        self.new[ref] = NewChild(ref, nik)
        return ref
