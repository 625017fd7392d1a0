"""The dashboard's panel of intervention indicators (docs/indicators.md, "On the
dashboard"), on the register of tests/usecases/indicator_registry.py: the admin's home
(the city) loads it (``/indicators/panel``, a fragment the page asks for once shown), with
the latest year's figures against their targets in Indonesian, the KRS and a link to the
indicators page; a kader's home has none and may not ask; nor has a page that is not the
user's home."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.conftest import nodes, text
from tests.web.test_indicators_page import client_for, engine  # noqa: F401 (fixtures)


def _row(page: str, code: str) -> list[str]:
    [row] = nodes(page, f"//table[@id='indicator-panel-table']//tr[@data-code='{code}']")
    return [" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]


def _home(client: TestClient) -> str:
    answer = client.get("/", follow_redirects=True)
    assert answer.status_code == 200, answer.text[:500]
    return str(answer.text)


def test_the_city_dashboard_shows_the_indicators_of_the_year_with_their_targets(
    client_for: Callable[[str], TestClient],  # noqa: F811
) -> None:
    client = client_for("dinkes")
    [placeholder] = nodes(_home(client), "//section[@id='indicator-panel']")
    assert placeholder.get("hx-get") == "/indicators/panel"
    assert placeholder.get("hx-trigger") == "load"
    answer = client.get("/indicators/panel")
    assert answer.status_code == 200
    page = answer.text
    heading = text(page, "//h2[@id='indicator-panel-heading']")
    assert heading.startswith("Indikator intervensi 2024: ")  # the register's last year
    # The same figures as /indicators (tests/web/test_indicators_page.py): 2 of 4 bumil.
    assert _row(page, "bumil_ttd_90") == [
        "Ibu hamil yang mengonsumsi minimal 90 TTD", "50,0", "80,0", "belum tercapai"
    ]  # fmt: skip
    assert _row(page, "krs")[0] == "Keluarga berisiko stunting (KRS)"
    assert _row(page, "krs")[3].endswith("keluarga berisiko")
    summary = text(page, "//p[@id='indicator-panel-summary']")
    assert summary.endswith("indikator yang bertarget sudah mencapai targetnya tahun ini.")
    [link] = nodes(page, "//a[@id='indicator-panel-link']")
    assert link.get("href") == "/indicators?year=2024"


def test_a_kader_and_a_page_other_than_home_have_no_panel(
    client_for: Callable[[str], TestClient],  # noqa: F811
) -> None:
    kader = client_for("kader")
    assert nodes(_home(kader), "//section[@id='indicator-panel']") == []
    assert kader.get("/indicators/panel").status_code == 404
    answer = client_for("dinkes").get("/areas/36.72.01")
    assert answer.status_code == 200
    assert nodes(answer.text, "//section[@id='indicator-panel']") == []
