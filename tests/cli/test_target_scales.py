"""No survey-scale target is ever compared with a register figure (issue 16, item 4).

Every place that draws or prints a target next to a figure is walked on one register with
the targets as Kota Cilegon has them (the national path, the city's own target on the
survey scale, an SSGI figure): the area page's charts, its API twin, ``tumbuh report
trend`` (table and CSV) and the semester report's charts and trend table. Each chart's
target lines pass through :func:`tumbuh.reports.charts.check_scales`, spied on here: every
line drawn must stand beside series of its own scale, and the survey-scale targets must
actually be drawn (beside the surveys), so the test cannot pass by drawing nothing.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert

from tests.cli.conftest import RunCli
from tests.web.conftest import settings_for, sign_in
from tumbuh.config import Settings
from tumbuh.db.engine import create_engine
from tumbuh.db.models import MeasurementRound, RoundKind, table_of
from tumbuh.db.models_access import Role
from tumbuh.db.users import NewUser, create_user
from tumbuh.growth.periods import semester_period
from tumbuh.growth.targets import TargetScale
from tumbuh.i18n import Language
from tumbuh.reports import charts
from tumbuh.reports.charts import TargetLine, TrendSeries
from tumbuh.reports.semester import semester_figures
from tumbuh.reports.semester_tables import semester_tables
from tumbuh.usecases.reporting import SemesterData, semester_data
from tumbuh.web.app import create_app
from tumbuh.web.surveillance.charts import survey_svg, trend_svg

PASSWORD = "kata-sandi-uji-1"
Drawn = tuple[TargetScale | None, TargetScale | None, str, str]  # target, series, labels


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[Drawn]:
    """Every (target scale, series scale, target label, series name) a chart is asked to
    draw together."""
    seen: list[Drawn] = []
    check = charts.check_scales

    def spy(series: list[TrendSeries], *targets: TargetLine | None) -> None:
        for target in filter(None, targets):
            seen.extend((target.scale, s.scale, target.label, s.name) for s in series)
        check(series, *targets)

    monkeypatch.setattr(charts, "check_scales", spy)
    trend_svg.cache_clear()
    survey_svg.cache_clear()
    return seen


@pytest.fixture
def engine(register: str, run_cli: RunCli) -> Iterator[Engine]:
    """The register with the city's 9 % (survey scale, the default) and an SSGI figure."""
    for args in (
        ("target", "prevalence", "--area", "36.72", "--year", "2024", "--percent", "9"),
        ("target", "survey", "--area", "36.72", "--year", "2022", "--survey", "SSGI"),
    ):
        extra = ("--percent", "19,1") if "survey" in args else ()
        assert run_cli(*args, *extra).exit_code == 0
    engine = create_engine(register)
    with engine.begin() as connection:
        connection.execute(
            insert(table_of(MeasurementRound)),
            [
                {"kind": RoundKind.BULAN_TIMBANG, "month": date(2024, 2, 1)},
                {"kind": RoundKind.BULAN_TIMBANG, "month": date(2024, 8, 1)},
            ],
        )
        create_user(
            connection, NewUser("dinkes", "Dinkes", Role.ADMIN, PASSWORD), datetime.now(UTC)
        )
    yield engine
    engine.dispose()


def _walk(engine: Engine, run_cli: RunCli) -> dict[str, object]:
    """Visit every place that shows a target beside a figure; what each printed."""
    url = engine.url.render_as_string(hide_password=False)
    client = TestClient(create_app(settings_for(url), engine=engine))
    sign_in(client, "dinkes", PASSWORD)
    page = client.get("/areas/36.72")
    assert page.status_code == 200
    assert 'id="trend"' in page.text
    assert 'id="prevalence"' in page.text
    api = client.get("/api/v1/areas/36.72").json()
    table = run_cli("report", "trend")
    csv = run_cli("report", "trend", "--format", "csv")
    assert table.exit_code == csv.exit_code == 0
    with engine.connect() as connection:
        data = semester_data(connection, semester_period(2024, 2), Settings(city_code="36.72"))
    semester_figures(data, Language.ID)
    return {
        "api": api,
        "csv": csv.stdout,
        "table": table.stdout,
        "semester": _semester_targets(data),
    }


def _semester_targets(data: SemesterData) -> list[object]:
    """The cells of the semester report's trend table under "Target daerah (%)", the
    target printed beside each register round."""
    for table in semester_tables(data, Language.ID).values():
        titles = [c.title for c in table.columns]
        if "Target daerah (%)" in titles:
            index = titles.index("Target daerah (%)")
            return [row[index] for row in table.rows]
    raise AssertionError("the semester report has no trend table with the local target")


def _only_like_with_like(drawn: list[Drawn]) -> None:
    wrong = [d for d in drawn if d[0] is not d[1]]
    assert not wrong, f"targets drawn beside figures of another scale: {wrong}"


def test_no_survey_scale_target_stands_beside_a_register_figure(
    engine: Engine, run_cli: RunCli, drawn: list[Drawn]
) -> None:
    printed = _walk(engine, run_cli)
    _only_like_with_like(drawn)
    labels = {(d[0], d[2]) for d in drawn}
    # drawn, beside the surveys: the page's survey chart and the semester report's
    assert (TargetScale.SURVEY, "Target nasional 2024") in labels
    assert (TargetScale.SURVEY, "Target daerah 2024") in labels
    assert all(d[1] is TargetScale.SURVEY for d in drawn)  # nothing on a register chart
    api = printed["api"]
    assert isinstance(api, dict)
    assert api["trend_scale"] == "register"
    assert {t["scale"] for t in api["targets"]} == {"survey"}
    assert "national_target_percent" not in api
    assert "local_target_percent" not in api
    rows = str(printed["csv"]).splitlines()[1:]
    assert rows
    assert all(row.endswith(",,") for row in rows)
    table = str(printed["table"])
    assert "9,0" not in table[: table.index("Target berada pada skala survei")]
    semester = printed["semester"]
    assert isinstance(semester, list)
    assert semester
    assert all(cell is None for cell in semester)


def test_a_register_scale_target_is_drawn_beside_the_register(
    engine: Engine, run_cli: RunCli, drawn: list[Drawn]
) -> None:
    args = ("target", "prevalence", "--area", "36.72", "--year", "2024", "--percent", "30")
    assert run_cli(*args, "--scale", "register").exit_code == 0
    printed = _walk(engine, run_cli)
    _only_like_with_like(drawn)
    assert printed["semester"] == [30.0, 30.0]  # both 2024 rounds, beside the register
    register = {d[2] for d in drawn if d[0] is TargetScale.REGISTER}
    assert register == {"Target daerah 2024"}  # the page's and the semester report's trend
    assert {d[3] for d in drawn if d[0] is TargetScale.REGISTER} == {
        "Data register (e-PPGBM)",  # the area page
        "Register (catatan e-PPGBM)",  # the semester report
    }


def test_a_chart_refuses_a_survey_target_beside_the_register() -> None:
    register = TrendSeries("Pencatatan", (None,), TargetScale.REGISTER)
    survey = TargetLine(14.0, "Target nasional 2024", TargetScale.SURVEY)
    with pytest.raises(ValueError, match="survey-scale target cannot be drawn beside register"):
        charts.trend_chart(["2024"], [register], title="T", target=survey)
    with pytest.raises(ValueError, match="both must declare a scale"):
        charts.trend_chart(["2024"], [TrendSeries("x", (None,))], title="T", target=survey)
