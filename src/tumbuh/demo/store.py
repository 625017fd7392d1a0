"""Writing the demo city into the database in bulk, in one transaction."""

import numpy as np
from sqlalchemy import Connection, delete, insert, update

from tumbuh.db.bulk import ColumnValues, delete_all, insert_columns, reset_id_sequences
from tumbuh.db.imports.trace import IMPORT_ENTITY
from tumbuh.db.models import (
    Child,
    DemoCity,
    DemoPlantedError,
    Family,
    ImportFile,
    ImportRun,
    Kader,
    Measurement,
    MeasurementDerived,
    MeasurementRound,
    MeasurementSource,
    Mother,
    Posyandu,
    Pregnancy,
    Puskesmas,
    PuskesmasArea,
    table_of,
)
from tumbuh.db.models_access import AuditEntry, PrevalenceTarget, SurveyFigure, TargetPopulation
from tumbuh.db.models_aks import (
    AksAudit,
    AksCase,
    AksLocus,
    AksMember,
    AksRecommendation,
    AksRtl,
)
from tumbuh.db.models_aksi import AksiRecord, LokusKelurahan
from tumbuh.db.models_asuh import (
    Allocation,
    Asuhan,
    Delivery,
    Disbursement,
    Payment,
    Pledge,
    Sponsor,
)
from tumbuh.db.models_cases import CaseStep, NutritionCase
from tumbuh.db.models_maternal import (
    AncVisit,
    Catin,
    ChildMonth,
    PostpartumVisit,
    TpkVisit,
    TpkVisitAction,
)
from tumbuh.db.models_meetings import DecisionAction, Meeting, MeetingAttendee, MeetingDecision
from tumbuh.db.models_pmt import Kitchen, KitchenFunding, PmtEpisode, PmtServing
from tumbuh.db.models_tpps import ActionItem, EvidenceDocument
from tumbuh.demo.city import City
from tumbuh.demo.imports import DemoImports, build_imports
from tumbuh.demo.places import PUSKESMAS
from tumbuh.demo.settings import GENERATOR_VERSION, MONTHS, month_start, round_kind

# Children before parents: the order in which registry rows can be deleted.
# The TPPS's meetings, actions and evidence go first (they point at the rest); the
# institutions stay: accounts may speak for them, and the demo finds them by name.
REGISTRY_TABLES = (
    EvidenceDocument,
    LokusKelurahan,
    AksiRecord,
    AksRtl,
    AksRecommendation,
    AksCase,
    AksMember,
    AksLocus,
    AksAudit,
    DecisionAction,
    MeetingDecision,
    MeetingAttendee,
    Meeting,
    ActionItem,
    TpkVisitAction,
    TpkVisit,
    Catin,
    ChildMonth,
    PostpartumVisit,
    AncVisit,
    Delivery,
    Asuhan,
    Allocation,
    Disbursement,
    Payment,
    Pledge,
    Sponsor,
    PmtServing,
    PmtEpisode,
    KitchenFunding,
    Kitchen,
    CaseStep,
    NutritionCase,
    TargetPopulation,
    PrevalenceTarget,
    SurveyFigure,
    DemoPlantedError,
    MeasurementDerived,
    Measurement,
    MeasurementRound,
    ImportFile,
    Child,
    ImportRun,
    Pregnancy,
    Mother,
    Family,
    Kader,
    Posyandu,
    PuskesmasArea,
    Puskesmas,
    DemoCity,
)


def clear_registry(connection: Connection) -> None:
    """Delete every record except the regions (for ``tumbuh demo generate --replace``).

    The audit log stays, but the import runs go: so do their own audit rows (entity
    ``import``), and other rows an import wrote lose their link to it."""
    audit = table_of(AuditEntry)
    connection.execute(delete(audit).where(audit.c.entity == IMPORT_ENTITY))
    connection.execute(
        update(audit).where(audit.c.import_run_id.is_not(None)).values(import_run_id=None)
    )
    for model in REGISTRY_TABLES:
        delete_all(connection, table_of(model))


def _ids(n: int) -> np.ndarray:
    return np.arange(1, n + 1)


def _store_places(connection: Connection, city: City) -> None:
    places = city.places
    insert_columns(
        connection,
        table_of(Puskesmas),
        {
            "id": _ids(len(PUSKESMAS)),
            "name": [p[0] for p in PUSKESMAS],
            "kecamatan_code": [p[1] for p in PUSKESMAS],
            "has_poned": [p[2] for p in PUSKESMAS],
        },
    )
    insert_columns(
        connection,
        table_of(PuskesmasArea),
        {
            "kelurahan_code": list(places.puskesmas_area),
            "puskesmas_id": list(places.puskesmas_area.values()),
        },
    )
    insert_columns(
        connection,
        table_of(Posyandu),
        {
            "id": _ids(places.posyandu_count),
            "code": places.posyandu_code,
            "name": places.posyandu_name,
            "kelurahan_code": places.posyandu_kelurahan,
            "rw": places.posyandu_rw,
            "address": [f"RW {rw}" for rw in places.posyandu_rw],
        },
    )
    insert_columns(
        connection,
        table_of(Kader),
        {
            "id": _ids(places.kader_posyandu.shape[0]),
            "name": places.kader_name,
            "posyandu_id": places.kader_posyandu,
        },
    )


def _store_imports(connection: Connection, imports: DemoImports) -> None:
    """The import runs and their files (before the children and measurements that point
    at them; their audit rows come last, in :func:`store_city`)."""
    if imports.runs:
        connection.execute(insert(table_of(ImportRun)), imports.runs)
        connection.execute(insert(table_of(ImportFile)), imports.files)


def _store_people(connection: Connection, city: City, imports: DemoImports) -> None:
    people = city.people
    families = len(people.mother_name)
    insert_columns(connection, table_of(Family), {"id": _ids(families), **people.family})
    insert_columns(
        connection,
        table_of(Mother),
        {
            "id": _ids(families),
            "nik": people.mother_nik,
            "name": people.mother_name,
            "birth_date": people.mother_birth,
            "family_id": _ids(families),
        },
    )
    pregnancy = people.pregnancy
    count = len(np.asarray(pregnancy["hpht"]))
    insert_columns(connection, table_of(Pregnancy), {"id": _ids(count), **pregnancy})
    n = people.child_birth.shape[0]
    insert_columns(
        connection,
        table_of(Child),
        {
            "id": _ids(n),
            "nik": people.child_nik,
            "name": people.child_name,
            "sex": np.where(people.child_male, "male", "female"),
            "birth_date": people.child_birth,
            "birth_weight_kg": city.latent.birth_weight_kg,
            "birth_length_cm": city.latent.birth_length_cm,
            "gestational_age_weeks": people.child_gestation_weeks,
            "mother_id": people.child_mother,
            "family_id": people.child_mother,
            "pregnancy_id": np.where(people.child_pregnancy > 0, people.child_pregnancy, np.nan),
            "posyandu_id": people.child_posyandu,
            "has_buku_kia": city.references.has_buku_kia,
            "import_run_id": imports.child_run,
            **people.child_extra,
        },
    )


def _store_measurements(connection: Connection, city: City, imports: DemoImports) -> None:
    insert_columns(
        connection,
        table_of(MeasurementRound),
        {
            "id": _ids(MONTHS),
            "kind": [round_kind(m) for m in range(MONTHS)],
            "month": np.array([month_start(m) for m in range(MONTHS)], dtype="datetime64[D]"),
        },
    )
    columns: dict[str, ColumnValues] = dict(city.measurement)
    position = city.measurement["position"]
    del columns["position"]
    columns["position"] = np.array([None, "l", "h"], dtype=object)[position]
    columns["source"] = MeasurementSource.GENERATED.value
    columns["import_file_id"] = imports.measurement_file
    insert_columns(connection, table_of(Measurement), columns)
    insert_columns(connection, table_of(MeasurementDerived), city.derived)
    planted = city.planted
    insert_columns(
        connection,
        table_of(DemoPlantedError),
        {"id": _ids(len(planted["kind"])), **planted},
    )


def _store_references(connection: Connection, city: City) -> None:
    references = city.references
    insert_columns(connection, table_of(TargetPopulation), references.population)
    insert_columns(connection, table_of(PrevalenceTarget), references.targets)
    insert_columns(connection, table_of(SurveyFigure), references.surveys)


def store_city(connection: Connection, city: City) -> None:
    """Insert every generated row (the regions must already be loaded)."""
    imports = build_imports(city)
    _store_places(connection, city)
    _store_imports(connection, imports)
    _store_people(connection, city, imports)
    _store_measurements(connection, city, imports)
    _store_references(connection, city)
    insert_columns(
        connection,
        table_of(DemoCity),
        {
            "id": np.array([1]),
            "seed": np.array([city.config.seed]),
            "scale": np.array([city.config.scale]),
            "parameters": [city.config.to_json()],
            "generator_version": [GENERATOR_VERSION],
        },
    )
    if imports.audit:
        connection.execute(insert(table_of(AuditEntry)), imports.audit)
    reset_id_sequences(connection, [table_of(model) for model in REGISTRY_TABLES])


def refresh_statistics(connection: Connection) -> None:
    """Let PostgreSQL's planner know the new table sizes right after the bulk load.

    Autovacuum would analyze the tables within a minute or so; until then the planner
    believes them nearly empty and picks nested loops that make the first reports many
    times slower. SQLite plans these queries well without statistics.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("ANALYZE")
