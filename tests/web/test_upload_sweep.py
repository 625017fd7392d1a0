"""Uploads (names and NIK) are deleted when their time is up, whether or not anyone uploads
again: at start-up and on a schedule; their folder is for the server's user only."""

import os
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.web.conftest import City, SignedIn, settings_for
from tumbuh.config import Settings
from tumbuh.errors import ConfigError
from tumbuh.web.app import create_app
from tumbuh.web.eppgbm.desk import ImportDesk, Sweeper, own_folder, upload_folder

KEY = "ab" * 32
NOW = 1_800_000_000.0  # a Unix time; the sweep is given the clock, nobody waits


def _upload(folder: Path, user_id: int, written_at: float) -> Path:
    """An upload as ImportDesk.check leaves it: the file, its time set to ``written_at``."""
    place = folder / f"{user_id}-{KEY}"
    place.mkdir(parents=True, mode=0o700)
    upload = place / "posyandu-agustus.csv"
    upload.write_text("NIK,Nama\n3672014202230002,Anak Dua\n")
    os.utime(upload, (written_at, written_at))
    return place


def _desk(engine: Engine, tmp_path: Path, minutes: int = 60) -> ImportDesk:
    settings = Settings(
        database_url="sqlite://", upload_dir=tmp_path / "uploads", upload_keep_minutes=minutes
    )
    return ImportDesk(engine, settings)


def test_an_expired_upload_is_deleted_without_a_new_upload(city: City, tmp_path: Path) -> None:
    desk = _desk(city.engine, tmp_path)
    upload = _upload(desk.folder, 7, NOW - 3600)
    (upload / ".report.xlsx").write_bytes(b"later")  # a report written later changes nothing
    fresh = _upload(desk.folder, 8, NOW - 3599)
    assert desk.sweep(now=NOW) == 1
    assert (upload.exists(), fresh.exists()) == (False, True)
    assert desk.sweep(now=NOW + 2) == 1  # now over an hour old too
    assert list(desk.folder.iterdir()) == []


def test_the_keep_time_is_a_setting(city: City, tmp_path: Path) -> None:
    desk = _desk(city.engine, tmp_path, minutes=5)
    upload = _upload(desk.folder, 7, NOW - 301)
    assert desk.sweep(now=NOW) == 1
    assert not upload.exists()


def test_expired_uploads_go_at_start_up(city: City, tmp_path: Path) -> None:
    settings = settings_for(city.url, tmp_path / "reports")
    folder = upload_folder(settings)
    assert folder == tmp_path / "tumbuh-uploads"  # beside the report folder
    old = _upload(folder, 7, time.time() - 2 * 3600)
    app = create_app(settings, engine=city.engine)
    assert old.exists()
    with TestClient(app):  # start-up
        assert not old.exists()


def test_the_sweeper_runs_on_its_own_until_stopped(city: City, tmp_path: Path) -> None:
    desk = _desk(city.engine, tmp_path)
    sweeper = Sweeper(desk, period=0.01).start()
    old = _upload(desk.folder, 7, time.time() - 2 * 3600)  # after the first sweep
    deadline = time.monotonic() + 30
    while old.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    sweeper.stop()
    assert not old.exists()
    assert sweeper.sweeps >= 2


def test_the_upload_folder_is_made_owner_only_even_when_it_existed(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    own_folder(folder)
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_linked_upload_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "uploads"
    link.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ConfigError) as raised:
        own_folder(link)
    assert raised.value.template.startswith("the upload folder {folder} is a link")


def test_an_upload_is_kept_in_the_upload_folder_owner_only(
    app: FastAPI, signed_in: SignedIn
) -> None:
    client, token = signed_in("admin")
    response = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("posyandu.csv", b"NIK,Nama,JK\n1,Anak,L\n", "text/csv")},
    )
    assert response.status_code == 200
    folder: Path = app.state.tumbuh.imports.folder
    (kept,) = folder.iterdir()
    assert [p.name for p in kept.iterdir()] == ["posyandu.csv"]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert kept.stat().st_mode & 0o777 == 0o700
