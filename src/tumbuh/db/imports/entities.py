"""Posyandu, families, mothers and children an import creates or completes.

* **Posyandu** are names inside a kelurahan, compared by ``posyandu_key`` (``Posy.
  Melati 01`` = ``Melati 1``); a name not registered in its kelurahan is created.
* **Families**: a row with a Nomor KK (layout B) belongs to the family with that card,
  found or created. Without a card, a row with an address (``Alamat``, ``RT``, ``RW``)
  gets a family of its own, shared by the children of the same mother.
* **Mothers**: the parent's name (``Nama Ortu``, ``Nama Orang Tua (Ibu/Ayah)``). One
  mother per parent's NIK (layout B); without it, per normalised name within one family
  card; otherwise each new child gets its own mother record (the name alone cannot tell
  two women apart).
* **Children**: a new child takes its name, birth data, home posyandu, mother and family
  from its latest row. A registered child only gets what it lacks: a NIK (matched by
  identity), birth weight and length, gestational age, Buku KIA, home posyandu, mother,
  family. Stored values are never replaced.

References below zero are records to create (-1, -2, ... in each table).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection

from tumbuh.db.imports.plan import Plan
from tumbuh.db.imports.stored import (
    StoredPosyandu,
    families_by_kk,
    mothers_for,
)
from tumbuh.ingest.batch import MeasurementRow
from tumbuh.ingest.matching import normalise_name
from tumbuh.ingest.places import posyandu_key
from tumbuh.ingest.values import parse_date

_YES = ("ya", "ada", "punya", "memiliki", "true", "benar", "yes")
_NO = ("tidak", "tdk", "belum", "false", "salah", "hilang", "no")
Key = tuple[object, ...]
# Child columns an import fills in (on a registered child: only where empty).
_COMPLETED = (
    "birth_weight_kg",
    "birth_length_cm",
    "gestational_age_weeks",
    "has_buku_kia",
    "posyandu_id",
    "mother_id",
    "family_id",
)


@dataclass(frozen=True)
class NewPosyandu:
    """A posyandu to create."""

    kelurahan_code: str
    name: str


@dataclass(frozen=True)
class NewFamily:
    """A family to create."""

    nomor_kk: str | None
    kelurahan_code: str
    address: str | None
    rt: str | None
    rw: str | None


@dataclass(frozen=True)
class NewMother:
    """A mother to create, in a family (a reference) or none."""

    name: str
    nik: str | None
    family: int | None


@dataclass
class Entities:
    """Everything besides measurements that the import writes."""

    posyandu_of_row: dict[int, int] = field(default_factory=dict)  # written row -> ref
    new_posyandu: dict[int, NewPosyandu] = field(default_factory=dict)
    new_families: dict[int, NewFamily] = field(default_factory=dict)
    new_mothers: dict[int, NewMother] = field(default_factory=dict)
    new_children: dict[int, dict[str, object]] = field(default_factory=dict)
    child_updates: dict[int, dict[str, object]] = field(default_factory=dict)


def has_buku_kia(text: str | None) -> bool | None:
    """``KIA`` as exports write it: Ya/Tidak, 1/0, or the date the book was given."""
    if text is None:
        return None
    word = text.strip().lower()
    if word in {"1", "y"} or word.startswith(_YES):
        return True
    if word in {"0", "t", "n"} or word.startswith(_NO):
        return False
    return True if parse_date(text).value is not None else None


def short_code(text: str | None) -> str | None:
    """RT or RW in at most 3 characters (``01``, ``RT 002`` -> ``002``), else None."""
    if text is None:
        return None
    if len(text) <= 3 and text.isdigit():
        return text
    digits = re.sub(r"\D", "", text)
    return digits if 0 < len(digits) <= 3 else None


class EntityPlanner:
    """Works out the records to create or complete for the accepted rows of a plan."""

    def __init__(self, connection: Connection, plan: Plan, posyandu: list[StoredPosyandu]) -> None:
        self.plan = plan
        self.out = Entities()
        self.posyandu_ids: dict[tuple[str, str], int] = {}
        for p in posyandu:
            self.posyandu_ids.setdefault((p.kelurahan_code, posyandu_key(p.name)), p.id)
        self.posyandu_refs: dict[tuple[str, str], int] = {}
        rows = [plan.rows[i] for i in plan.accepted]
        self.kk_ids = families_by_kk(connection, {r.nomor_kk for r in rows if r.nomor_kk})
        mothers = mothers_for(
            connection, {r.parent_nik for r in rows if r.parent_nik}, self.kk_ids.values()
        )
        self.mother_by_nik = {m.nik: m.id for m in mothers if m.nik}
        self.mother_in_family = {
            (m.family_id, normalise_name(m.name)): m.id for m in mothers if m.family_id
        }
        self.family_refs: dict[Key, int] = {}
        self.mother_refs: dict[Key, int] = {}

    def run(self) -> Entities:
        """The entities of every written row and of every child with accepted rows."""
        plan = self.plan
        for i in plan.write:
            self.out.posyandu_of_row[i] = self._posyandu(plan.rows[i])
        written = set(plan.write)
        by_child: dict[int, list[int]] = defaultdict(list)
        for i in plan.accepted:
            ref = plan.matching.refs[i]
            if ref is not None:
                by_child[ref].append(i)
        for ref, members in sorted(by_child.items(), key=lambda item: min(item[1])):
            members.sort(key=lambda i: (plan.rows[i].measured_on, i))
            writes = [i for i in members if i in written]
            if ref < 0:
                if writes:
                    self._new_child(ref, members, writes)
            else:
                self._complete_child(ref, members, writes)
        return self.out

    def _posyandu(self, row: MeasurementRow) -> int:
        key = (row.kelurahan_code, posyandu_key(row.posyandu))
        if key in self.posyandu_ids:
            return self.posyandu_ids[key]
        if key not in self.posyandu_refs:
            ref = -(len(self.out.new_posyandu) + 1)
            name = " ".join(row.posyandu.split())
            self.out.new_posyandu[ref] = NewPosyandu(row.kelurahan_code, name)
            self.posyandu_refs[key] = ref
        return self.posyandu_refs[key]

    def _values(
        self,
        ref: int,
        members: list[int],
        writes: list[int],
        needed: set[str],
        stored_family: int | None = None,
    ) -> dict[str, object]:
        """A child's ``needed`` values from its rows: the latest row first, then earlier
        ones. Mothers and families are planned only when needed."""
        rows = [self.plan.rows[i] for i in reversed(members)]
        values: dict[str, object] = {
            "birth_weight_kg": next((r.birth_weight_kg for r in rows if r.birth_weight_kg), None),
            "birth_length_cm": next((r.birth_length_cm for r in rows if r.birth_length_cm), None),
            "gestational_age_weeks": next(
                (r.gestational_age_weeks for r in rows if r.gestational_age_weeks), None
            ),
            "has_buku_kia": next(
                (k for k in (has_buku_kia(r.has_buku_kia) for r in rows) if k is not None), None
            ),
            "posyandu_id": self.out.posyandu_of_row[writes[-1]] if writes else None,
        }
        parent = next((r for r in rows if r.parent_name), None)
        mother_key = _mother_key(parent, ref) if parent is not None else None
        family = stored_family
        if "family_id" in needed:
            family_row = next((r for r in rows if r.nomor_kk or r.address or r.rt or r.rw), None)
            if family_row is not None:
                family = self._family(family_row, ref, mother_key)
        values["family_id"] = family if "family_id" in needed else None
        values["mother_id"] = None
        if "mother_id" in needed and parent is not None and mother_key is not None:
            values["mother_id"] = self._mother(parent, mother_key, family)
        return {name: value for name, value in values.items() if name in needed}

    def _new_child(self, ref: int, members: list[int], writes: list[int]) -> None:
        latest = self.plan.rows[members[-1]]
        new = self.plan.matching.new_children[ref]
        self.out.new_children[ref] = {
            "nik": new.nik,
            "name": latest.name,
            "sex": latest.sex,
            "birth_date": latest.birth_date,
            **self._values(ref, members, writes, set(_COMPLETED)),
        }

    def _complete_child(self, child_id: int, members: list[int], writes: list[int]) -> None:
        stored = self.plan.matching.stored[child_id]
        missing = {name for name in _COMPLETED if getattr(stored, name) is None}
        changes: dict[str, object] = {}
        attached = self.plan.matching.attached_niks.get(child_id)
        if attached is not None:
            changes["nik"] = attached
        if missing:
            values = self._values(child_id, members, writes, missing, stored.family_id)
            changes |= {n: v for n, v in values.items() if v is not None}
        if changes:
            self.out.child_updates[child_id] = changes

    def _family(self, row: MeasurementRow, child: int, mother_key: Key | None) -> int | None:
        if row.nomor_kk is not None:
            if row.nomor_kk in self.kk_ids:
                return self.kk_ids[row.nomor_kk]
            key: Key = ("kk", row.nomor_kk)
        elif row.address or row.rt or row.rw:
            shared = mother_key is not None and mother_key[0] != "child"
            key = ("mother", mother_key) if shared else ("child", child)
        else:
            return None
        if key not in self.family_refs:
            ref = -(len(self.out.new_families) + 1)
            self.out.new_families[ref] = NewFamily(
                nomor_kk=row.nomor_kk,
                kelurahan_code=row.kelurahan_code,
                address=" ".join(row.address.split())[:200] if row.address else None,
                rt=short_code(row.rt),
                rw=short_code(row.rw),
            )
            self.family_refs[key] = ref
        return self.family_refs[key]

    def _mother(self, row: MeasurementRow, key: Key, family: int | None) -> int:
        if row.parent_nik is not None and row.parent_nik in self.mother_by_nik:
            return self.mother_by_nik[row.parent_nik]
        if family is not None and family > 0 and row.parent_name:
            found = self.mother_in_family.get((family, normalise_name(row.parent_name)))
            if found is not None:
                return found
        if key not in self.mother_refs:
            ref = -(len(self.out.new_mothers) + 1)
            name = " ".join((row.parent_name or "").split())
            self.out.new_mothers[ref] = NewMother(name, row.parent_nik, family)
            self.mother_refs[key] = ref
        return self.mother_refs[key]


def _mother_key(row: MeasurementRow, child: int) -> Key:
    if row.parent_nik is not None:
        return ("nik", row.parent_nik)
    if row.nomor_kk is not None and row.parent_name:
        return ("kk", row.nomor_kk, normalise_name(row.parent_name))
    return ("child", child)
