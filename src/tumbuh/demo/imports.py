"""The demo city's import runs: each puskesmas' monthly e-PPGBM file, imported by the
health office with the command line, so that the review pages and the audit log show
what a real installation would (docs/demo-city.md).

Nothing is imported really (the measurements stay ``generated``); the runs, their files
and their audit rows are written as ``tumbuh import eppgbm`` would have: one run per
puskesmas and month, on the 3rd of the next month, with one file each (a made-up name
and the SHA-256 of a made-up text). Each measurement points at its run's file, each child
at the run of its first measurement. No figure of the city changes.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from tumbuh.db.audit import audit_json
from tumbuh.db.imports.trace import IMPORT_ENTITY
from tumbuh.db.models_access import AuditAction
from tumbuh.demo.city import City
from tumbuh.demo.places import PUSKESMAS
from tumbuh.demo.settings import month_start

DEMO_ACTOR = "cli:dinkes"  # the health office's data officer, on the command line
LAYOUT = "eppgbm-a"


@dataclass(frozen=True)
class DemoImports:
    """Rows of ``import_run``, ``import_file`` and ``audit_log``, and the links."""

    runs: list[dict[str, Any]]
    files: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    measurement_file: np.ndarray  # per measurement: its import_file id
    child_run: np.ndarray  # per child: the run of its first measurement (NaN: none)


def _first(groups: np.ndarray, values: np.ndarray, size: int, missing: int) -> np.ndarray:
    """The smallest of ``values`` per group id (0-based), ``missing`` where none."""
    first = np.full(size, missing, dtype=np.int64)
    np.minimum.at(first, groups, values)
    return first


def build_imports(city: City) -> DemoImports:
    """One run per puskesmas and month with measurements; see the module docstring."""
    places, people = city.places, city.people
    puskesmas_of = np.array([places.puskesmas_area[k] for k in places.posyandu_kelurahan])
    measured = city.measurement
    month = measured["round_id"] - 1
    puskesmas = puskesmas_of[measured["posyandu_id"] - 1]
    keys, run_of_row = np.unique(month * len(PUSKESMAS) + puskesmas - 1, return_inverse=True)
    n_runs = keys.shape[0]
    children = people.child_birth.shape[0]
    child_first = _first(measured["child_id"] - 1, run_of_row, children, n_runs)
    mothers = int(people.child_mother.max()) if children else 0
    has_run = child_first < n_runs
    mother_first = _first(people.child_mother[has_run] - 1, child_first[has_run], mothers, n_runs)
    counts = {
        "measurements_added": np.bincount(run_of_row, minlength=n_runs),
        "children_added": np.bincount(child_first[has_run], minlength=n_runs),
        "mothers_added": np.bincount(mother_first[mother_first < n_runs], minlength=n_runs),
    }
    runs, files, audit = [], [], []
    for index, key in enumerate(keys.tolist()):
        added = {name: int(values[index]) for name, values in counts.items()}
        run, file, entry = _run(index + 1, key, added, city.config.seed)
        runs.append(run)
        files.append(file)
        audit.append(entry)
    child_run = np.where(has_run, child_first + 1, np.nan)
    return DemoImports(runs, files, audit, run_of_row + 1, child_run)


def _run(
    run_id: int, key: int, added: dict[str, int], seed: int
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The run, file and audit rows of puskesmas and month ``key``."""
    month, puskesmas = divmod(key, len(PUSKESMAS))
    first = month_start(month)
    upload = month_start(month + 1)
    started = datetime(upload.year, upload.month, 3, 1, tzinfo=UTC) + timedelta(
        minutes=17 * puskesmas
    )
    finished = started + timedelta(seconds=2 + added["measurements_added"] // 400)
    name = f"eppgbm-{PUSKESMAS[puskesmas][0].lower().replace(' ', '-')}-{first:%Y-%m}.xlsx"
    sha256 = hashlib.sha256(f"tumbuh demo city {seed} {name}".encode()).hexdigest()
    rows = added["measurements_added"]
    counts = {
        "rows_read": rows,
        "rows_skipped": 0,
        "measurements_added": rows,
        "children_added": added["children_added"],
        "children_changed": 0,
        "mothers_added": added["mothers_added"],
        "families_added": added["mothers_added"],  # one family per mother in the demo
        "posyandu_added": 0,
    }
    run = {"id": run_id, "user_id": None, "actor": DEMO_ACTOR, "started_at": started}
    run |= {"finished_at": finished, **counts}
    file = {"id": run_id, "import_run_id": run_id, "file_name": name, "sha256": sha256}
    file |= {"layout": LAYOUT, "imported_at": finished, "row_count": rows}
    files = [{"name": name, "sha256": sha256, "layout": LAYOUT, "rows": rows}]
    entry = {
        "at": finished,
        "user_id": None,
        "actor": DEMO_ACTOR,
        "action": AuditAction.CREATE,
        "entity": IMPORT_ENTITY,
        "entity_id": run_id,
        "before": None,
        "after": audit_json({"files": files, **counts}),
        "import_run_id": run_id,
    }
    return run, file, entry
