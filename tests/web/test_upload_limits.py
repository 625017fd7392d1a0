"""Hostile uploads: refused with a message on the import page, the server goes on; and
bodies refused before they are read (not signed in, or over the size limit)."""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.unit.ingest.hostile import write_bomb, write_far_cell
from tests.web.conftest import City, SignedIn, text
from tumbuh.web.app import SESSION_COOKIE

MB = 1024 * 1024
BOMB_REFUSED = (
    "bom.xlsx: bagian xl/worksheets/sheet1.xml dari berkas ini membesar 242 kali setelah "
    "dibuka, melebihi batas 100 kali (pengaturan TUMBUH_IMPORT_MAX_RATIO); spreadsheet biasa "
    "jarang dimampatkan sepadat itu. Buka berkas di program spreadsheet, simpan ulang sebagai "
    ".xlsx lalu unggah hasilnya, atau minta admin menaikkan batasnya."
)
OUT_OF_MEMORY = (
    "raksasa.xlsx: berkas ini tidak dapat dibaca dalam batas memori 2048 MB (pengaturan "
    "TUMBUH_IMPORT_WORKER_MEMORY_MB); mungkin berkasnya rusak, atau isinya jauh lebih besar "
    "daripada ukurannya di disk. Buka berkas di program spreadsheet, simpan ulang sebagai "
    ".xlsx lalu unggah hasilnya, pecah berkasnya, atau minta admin menaikkan batasnya."
)
TOO_LARGE = (
    "Berkas lebih besar dari 50 MB dan tidak dibaca. Pecah berkas, misalnya satu berkas per "
    "kecamatan, lalu unggah bagian-bagiannya satu per satu."
)
GOOD = (
    "NIK,Nama,JK,Tgl Lahir,Nama Ortu,Prov,Kab/Kota,Kec,Desa/Kel,Pukesmas,Posyandu,"
    "Tanggal Pengukuran,Berat,Tinggi,Cara Ukur\n3672014202230002,Anak Dua,P,02/02/2023,"
    "Ibu Dua,Banten,Kota Cilegon,Cibeber,Cibeber,Cibeber,Mawar 1,15/08/2024,9.8,79.5,Berdiri"
)


def _upload(client: TestClient, token: str, path: Path) -> tuple[int, str]:
    response = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": (path.name, path.read_bytes(), "application/octet-stream")},
    )
    return response.status_code, response.text


def test_a_bomb_is_refused_on_the_import_page_and_the_server_goes_on(
    city: City, app: FastAPI, signed_in: SignedIn, tmp_path: Path
) -> None:
    client, token = signed_in("admin")
    status, html = _upload(client, token, write_bomb(tmp_path / "bom.xlsx"))
    assert (status, text(html, "//*[@id='problem']")) == (422, BOMB_REFUSED)
    assert text(html, "//form[@action='/import']//button") == "Periksa berkas"
    assert not any(web_state_folder(app).iterdir())  # nothing of it kept
    good = tmp_path / "posyandu.csv"
    good.write_text(GOOD)
    status, html = _upload(client, token, good)
    assert status == 200
    assert text(html, "//*[@id='summary']").startswith("posyandu.csv: 1 baris dibaca")


def test_a_file_that_aborts_the_parser_ends_only_the_worker(
    city: City, signed_in: SignedIn, tmp_path: Path
) -> None:
    """calamine aborts the process on this sheet (one 512 GB allocation): read in the
    server's own process, it would have taken the server, and this test, down."""
    client, token = signed_in("admin")
    status, html = _upload(client, token, write_far_cell(tmp_path / "raksasa.xlsx", "XFD1048576"))
    assert (status, text(html, "//*[@id='problem']")) == (422, OUT_OF_MEMORY)
    assert client.get("/import").status_code == 200


def web_state_folder(app: FastAPI) -> Path:
    folder: Path = app.state.tumbuh.imports.folder
    return folder


class Sender:
    """The client's side of one request driven at the ASGI level: the body is handed out
    in 1 MB pieces only when the server asks for them, and the pieces asked are counted."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pieces_read = 0
        self.messages: list[dict[str, object]] = []

    async def receive(self) -> dict[str, object]:
        sent = self.pieces_read * MB
        self.pieces_read += 1
        if sent >= self.size:
            return {"type": "http.disconnect"}
        piece = (_FIRST if sent == 0 else _PIECE)[: min(MB, self.size - sent)]
        return {"type": "http.request", "body": piece, "more_body": sent + MB < self.size}

    async def send(self, message: dict[str, object]) -> None:
        self.messages.append(message)

    @property
    def status(self) -> int:
        return int(str(self.messages[0]["status"]))

    def header(self, name: bytes) -> str:
        start = self.messages[0]
        headers = start["headers"]
        assert isinstance(headers, list)
        return next(str(v.decode()) for k, v in headers if k == name)

    def body(self) -> str:
        parts = [m.get("body", b"") for m in self.messages[1:]]
        return b"".join(p for p in parts if isinstance(p, bytes)).decode()


# A file part that never ends: the form parser keeps asking for more.
_PART = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
_FIRST = _PART + b"A" * (MB - len(_PART))
_PIECE = b"A" * MB


def _drive(
    app: FastAPI, path: str, size: int, *, cookie: str | None = None, declared: bool = True
) -> Sender:
    """POST a multipart body of ``size`` bytes to ``path``; ``declared``: with its
    Content-Length (else chunked, as a client that does not say)."""
    headers = [(b"content-type", b"multipart/form-data; boundary=x"), (b"host", b"testserver")]
    if declared:
        headers.append((b"content-length", str(size).encode()))
    if cookie is not None:
        headers.append((b"cookie", f"{SESSION_COOKIE}={cookie}".encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sender = Sender(size)
    # A loop of its own, in a thread of its own: the browser tests leave one running here.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, app(scope, sender.receive, sender.send)).result()  # type: ignore[arg-type]
    return sender


def test_a_large_body_from_someone_not_signed_in_is_refused_unread(
    city: City, app: FastAPI
) -> None:
    sender = _drive(app, "/import", 300 * MB)
    assert sender.status == 303
    assert sender.header(b"location") == "/login?next=/import"
    assert sender.pieces_read == 0  # not one byte of the 300 MB was read
    api = _drive(app, "/api/v1/children/search", 2 * MB, declared=False)
    assert (api.status, api.body()) == (401, '{"detail":"Silakan masuk terlebih dahulu."}')
    assert api.pieces_read == 1  # chunked: cut at the first piece (limit 8 KB)
    assert not web_state_folder(app).exists()  # the route never ran


def test_a_body_over_the_upload_limit_is_refused_unread(
    city: City, app: FastAPI, api_session: tuple[str, str]
) -> None:
    cookie, _ = api_session
    sender = _drive(app, "/import", 300 * MB, cookie=cookie)
    assert sender.status == 413
    assert text(sender.body(), "//p[@class='message']") == TOO_LARGE
    assert sender.header(b"connection") == "close"
    assert sender.pieces_read == 0


def test_a_chunked_body_is_cut_at_the_upload_limit(
    city: City, app: FastAPI, api_session: tuple[str, str]
) -> None:
    cookie, _ = api_session
    sender = _drive(app, "/import", 300 * MB, cookie=cookie, declared=False)
    assert sender.status == 413
    assert text(sender.body(), "//p[@class='message']") == TOO_LARGE
    assert sender.pieces_read == 52  # 50 MB + 1 MB for the form around it, then one more
    form = _drive(app, "/children", 2 * MB, cookie=cookie, declared=False)
    assert form.status == 413
    assert text(form.body(), "//p[@class='message']") == (
        "Permintaan lebih besar dari 1 MB dan tidak dibaca."
    )
    assert form.pieces_read == 2


def test_the_sign_in_form_still_works_without_a_session(city: City, app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"username": "admin", "password": "salah", "csrf_token": token, "next": "/"},
        files={"padding": ("x", io.BytesIO(b"x" * 4000))},
    )
    assert response.status_code == 401  # read and answered by the route: wrong password
