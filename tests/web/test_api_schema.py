"""schemathesis: generated requests against every operation of /openapi.json, signed in
as an administrator (the widest scope), must never produce a server error (5xx)."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy
from schemathesis import Case
from schemathesis.core.result import Ok

from tests.web.conftest import build_city, settings_for
from tumbuh.web.app import SESSION_COOKIE, create_app

EXAMPLES = 30


@pytest.fixture
def app(backend: str, new_database_url: Callable[[str], str], tmp_path: Path) -> Iterator[FastAPI]:
    """The application on a small demo city of its own: an administrator's generated
    requests add measurements and correct children anywhere, which the city the other
    web tests share must not see."""
    city = build_city(new_database_url(backend))
    yield create_app(settings_for(city.url, tmp_path / "reports"), engine=city.engine)
    city.engine.dispose()


def test_api_never_answers_with_a_server_error(app: FastAPI, api_session: tuple[str, str]) -> None:
    cookie, token = api_session
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert len(operations) >= 6
    for operation in operations:
        strategy: SearchStrategy[Case[Any]] = operation.as_strategy()

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Case[Any]) -> None:
            response = case.call(cookies={SESSION_COOKIE: cookie}, headers={"X-CSRF-Token": token})
            assert response.status_code < 500, f"{case.method} {case.formatted_path}"

        check()
