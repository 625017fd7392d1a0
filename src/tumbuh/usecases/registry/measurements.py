"""Adding, correcting and deleting a child's measurement, and the preview of what saving
would store.

There is one write path (:mod:`tumbuh.db.measurements`): the row is written, every
derived value of the child is recomputed from what is stored with the same code as
``tumbuh db recompute`` (``growth_input``), and the audit row is written, all in one
transaction that the use case commits. The child's row is locked first, so two changes to
its measurements recompute one after the other. A correction or deletion names the
version it started from and is refused with :class:`StaleVersion` (nothing written) when
someone else changed the measurement since (docs/security.md, section 5).
"""

from dataclasses import asdict, dataclass
from typing import cast

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.audit import write_audit
from tumbuh.db.children import lock_child
from tumbuh.db.measurements import (
    delete_measurement,
    derived_with,
    insert_typed_measurement,
    rederive_children,
    update_measurement,
)
from tumbuh.db.models_access import AuditAction
from tumbuh.growth.categories import shown_category
from tumbuh.growth.referrals import DEFAULT_RULES, ReferralRules
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.usecases.access import Scope, UserInfo
from tumbuh.usecases.cases import record_child_cases
from tumbuh.usecases.registry.children import ZSCORES, stored_measurement
from tumbuh.usecases.registry.records import (
    ChildRecord,
    MeasurementValues,
    MeasurementView,
    Refused,
    StaleVersion,
    require_write,
)
from tumbuh.usecases.transactions import writing


def _audit_values(
    values: MeasurementValues, child_id: int, posyandu_id: int | None
) -> dict[str, object]:
    return {"child_id": child_id, "posyandu_id": posyandu_id, **asdict(values)}


def record_measurement(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    values: MeasurementValues,
    kbm: KbmTable,
    *,
    rules: ReferralRules = DEFAULT_RULES,
) -> int:
    """The work of :func:`add_measurement` in the caller's transaction (uncommitted)."""
    require_write(scope, child.posyandu_id, child.kelurahan_code)
    lock_child(connection, child.id)
    new_id = insert_typed_measurement(connection, child.id, child.posyandu_id, asdict(values))
    rederive_children(connection, [child.id], kbm)
    write_audit(
        connection,
        user,
        AuditAction.CREATE,
        "measurement",
        new_id,
        before=None,
        after=_audit_values(values, child.id, child.posyandu_id),
    )
    record_child_cases(
        connection,
        child.id,
        values.measured_on,
        kelurahan_code=child.kelurahan_code,
        user=user,
        rules=rules,
    )
    return new_id


def add_measurement(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    values: MeasurementValues,
    kbm: KbmTable,
    *,
    rules: ReferralRules = DEFAULT_RULES,
) -> int:
    """Store a typed-in measurement at the child's posyandu (OutOfScope unless the user may
    write there), audit it, recompute the child's derived values, open the child's cases
    with the installation's referral cut-offs ``rules`` (as an import does), commit; the
    new id."""
    with writing(connection):
        return record_measurement(connection, scope, user, child, values, kbm, rules=rules)


def change_measurement(  # noqa: PLR0913 - the change and the installation's cut-offs
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    measurement_id: int,
    version: int,
    values: MeasurementValues | None,
    kbm: KbmTable,
    *,
    rules: ReferralRules = DEFAULT_RULES,
) -> MeasurementView | None:
    """Update (``values``) or delete (None) a measurement still at ``version``; audit it;
    recompute derived; open the child's cases (cut-offs ``rules``); commit; None. When
    someone else changed it since ``version``, nothing is written and the measurement as
    it is now comes back."""
    try:
        with writing(connection):
            require_write(scope, child.posyandu_id, child.kelurahan_code)
            lock_child(connection, child.id)
            old = stored_measurement(connection, child, measurement_id)
            try:
                _change(connection, old, version, values)
            except StaleVersion:
                raise Refused(stored_measurement(connection, child, measurement_id)) from None
            rederive_children(connection, [child.id], kbm)
            write_audit(
                connection,
                user,
                AuditAction.DELETE if values is None else AuditAction.UPDATE,
                "measurement",
                measurement_id,
                before=_audit_values(old.values, child.id, child.posyandu_id),
                after=None
                if values is None
                else _audit_values(values, child.id, child.posyandu_id),
            )
            if values is not None:
                record_child_cases(
                    connection,
                    child.id,
                    values.measured_on,
                    kelurahan_code=child.kelurahan_code,
                    user=user,
                    rules=rules,
                )
    except Refused as refused:
        return cast(MeasurementView, refused.outcome)
    return None


def _change(
    connection: Connection, old: MeasurementView, version: int, values: MeasurementValues | None
) -> None:
    """Write the correction or deletion of ``old`` if it is at ``version`` (else
    :class:`StaleVersion`)."""
    if old.version != version:
        raise StaleVersion(f"measurement {old.id} is at version {old.version}")
    if values is None:
        delete_measurement(connection, old.id, version)
    else:
        update_measurement(connection, old.id, version, asdict(values))


@dataclass(frozen=True)
class Preview:
    """What saving would store for the new measurement."""

    age_days: int | None
    zscores: dict[str, float | None]
    flags: dict[str, bool]
    haz_category: str | None
    waz_category: str | None
    whz_category: str | None
    weight_trend: str | None
    weight_trend_clause: str | None  # which clause of the Buku KIA rule decided N or T


def preview(
    connection: Connection,
    child: ChildRecord,
    values: MeasurementValues,
    kbm: KbmTable,
    *,
    replacing: int | None = None,
) -> Preview:
    """Derived values of ``values`` as if saved beside the other measurements of a child
    found in the scope (:func:`tumbuh.db.measurements.derived_with`: the one
    ``growth_input`` of the write path)."""
    columns = derived_with(connection, child.id, asdict(values), kbm, replacing=replacing)
    at = len(columns["measurement_id"]) - 1

    def value(name: str) -> float | None:
        column = columns[name]
        item = column[at] if isinstance(column, np.ndarray) else column
        if item is None or (isinstance(item, float) and np.isnan(item)):
            return None
        return float(item) if isinstance(item, int | float | np.number) else None

    def text(name: str) -> str | None:
        column = columns[name]
        item = column[at] if isinstance(column, np.ndarray) else None
        return None if item is None else str(item)

    age = value("age_days")
    return Preview(
        age_days=None if age is None else int(age),
        zscores={n: value(n) for n in ZSCORES},
        flags={n: bool(value(f"{n}_flag")) for n in ZSCORES},
        haz_category=shown_category(text("haz_category"), bool(value("haz_flag"))),
        waz_category=shown_category(text("waz_category"), bool(value("waz_flag"))),
        whz_category=shown_category(text("whz_category"), bool(value("whz_flag"))),
        weight_trend=text("weight_trend"),
        weight_trend_clause=text("weight_trend_clause"),
    )
