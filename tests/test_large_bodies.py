"""Large attachments are kept on disk while they arrive and written to the WARC from there:
four 95 MB attachments in flight at once leave the crawl's memory flat."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.spool import BodySpool
from tests.conftest import FAST, REPO, govarc, query
from tests.mini_portal import answer, registry_entry

SIZE = 95 * 1024 * 1024
CHUNK = 1 << 20
FILES = 4


def chunk(name: str, n: int) -> bytes:
    """Chunk n of an attachment: incompressible like a PDF's streams, made on the fly."""
    seed = hashlib.sha256(f"{name}:{n}".encode()).digest()
    block = hashlib.shake_256(seed).digest(CHUNK // 16)
    return block * 16  # a 64 KB period, longer than deflate's window: nothing to gain


def attachment_sha1(name: str) -> str:
    import base64

    digest = hashlib.sha1()
    for n in range(SIZE // CHUNK):
        digest.update(chunk(name, n))
    return "sha1:" + base64.b32encode(digest.digest()).decode()


class AttachmentPortal:
    """One article linking four 95 MB PDFs, each sent only once all four are asked for."""

    def __init__(self) -> None:
        self.started = threading.Barrier(FILES, timeout=60)
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if self.path == "/xw/index.html":
                    self._send('<html><body><ul><li><a href="/xw/202604/t20260413_1.html">'
                               "关于公布政策文件的通知</a><span>2026-04-13</span></li></ul>"
                               "</body></html>")
                elif self.path == "/xw/202604/t20260413_1.html":
                    links = "".join(f'<p><a href="/files/{n}.pdf">附件{n}：文件{n}.pdf</a></p>'
                                    for n in range(1, FILES + 1))
                    text = "<p>现将政策文件予以公布，请遵照执行。曲靖市人民政府办公室。</p>" * 6
                    self._send("<html><head><title>关于公布政策文件的通知_测试市人民政府</title>"
                               "</head><body><h1>关于公布政策文件的通知</h1>"
                               "<p>发布时间：2026-04-13 10:00</p><div class='TRS_Editor'>"
                               + text + links + "</div></body></html>")
                elif self.path.startswith("/files/"):
                    self._attachment(self.path.rsplit("/", 1)[-1])
                else:
                    self._send("<html><body>页面不存在</body></html>", 404)

            def _attachment(self, name: str) -> None:
                with portal.lock:
                    portal.in_flight += 1
                    portal.most_in_flight = max(portal.most_in_flight, portal.in_flight)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pdf")
                    self.send_header("Content-Length", str(SIZE))
                    self.end_headers()
                    self.wfile.write(chunk(name, 0))
                    portal.started.wait()  # all four are in flight before any goes on
                    for n in range(1, SIZE // CHUNK):
                        self.wfile.write(chunk(name, n))
                finally:
                    with portal.lock:
                        portal.in_flight -= 1

            def _send(self, html: str, status: int = 200) -> None:
                answer(self, status, html)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"

    def registry(self, path: Path) -> Path:
        path.write_text(registry_entry("files", "测试市人民政府", self.server.server_port, "xw",
                                       "政策文件", f"{self.base}/xw/index.html"),
                        encoding="utf-8")
        return path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def portal() -> Iterator[AttachmentPortal]:
    served = AttachmentPortal()
    yield served
    served.close()


PEAK = """import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
sys.exit(code)
"""


@pytest.mark.slow
def test_four_95_mb_attachments_in_flight_keep_memory_flat(portal, tmp_path):
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file",
               str(portal.registry(tmp_path / "files.toml")), "--db", str(tmp_path / "a.db"),
               "--warc-dir", str(tmp_path / "warc"), *FAST,
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "GOVARC_EXTRACT_WORKERS=0"]
    result = subprocess.run([sys.executable, "-c", PEAK, *command], capture_output=True,
                            text=True, cwd=REPO, timeout=300,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    # The files are noise under a .pdf name: archived whole, and each a document-corrupt
    # failure when its text is read (exit 1), within the same memory.
    assert result.returncode == 1, result.stderr
    assert f"{FILES} failures (document-corrupt {FILES})" in result.stderr, result.stderr
    peak_mb = int(result.stdout.split()[-1])
    assert portal.most_in_flight == FILES
    print(f"peak RSS {peak_mb} MB")
    assert peak_mb < 300, f"peak RSS {peak_mb} MB with four 95 MB attachments in flight"

    db = tmp_path / "a.db"
    rows = query(db, "SELECT url, payload_length, payload_digest, warc_filename, warc_offset "
                     "FROM attachments ORDER BY url")
    assert [(url.rsplit("/", 1)[-1], length) for url, length, *_ in rows] == [
        (f"{n}.pdf", SIZE) for n in range(1, FILES + 1)]
    expected = {f"{n}.pdf": attachment_sha1(f"{n}.pdf") for n in range(1, FILES + 1)}
    for url, _, digest, filename, offset in rows:
        assert digest == expected[url.rsplit("/", 1)[-1]]
        with open(tmp_path / "warc" / filename, "rb") as warc:
            warc.seek(offset)
            record = next(iter(ArchiveIterator(warc)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == url
            payload = hashlib.sha1()
            stream = record.content_stream()
            while block := stream.read(CHUNK):
                payload.update(block)
            assert payload.digest() == hashlib.sha1(
                b"".join(chunk(url.rsplit("/", 1)[-1], n) for n in range(SIZE // CHUNK))
            ).digest()
    assert list((tmp_path / "warc").glob("govarc-body-*")) == []  # nothing left on disk
    assert query(db, "SELECT count(*) FROM articles") == [(1,)]
    verify = govarc("verify", "--db", str(db), "--warc-dir", str(tmp_path / "warc"))
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_body_moves_to_disk_past_its_threshold_and_keeps_length_and_digest(tmp_path):
    from archive.warc import payload_digest

    spool = BodySpool(tmp_path, threshold=10)
    spool.write(b"0123456789")
    assert not spool.spilled and spool.getvalue() == b"0123456789"
    spool.write(b"abc")
    assert spool.spilled and spool.getvalue() == b""
    assert spool.reader().read() == b"0123456789abc"
    assert spool.length == 13 and spool.digest == payload_digest(b"0123456789abc")
    assert list(tmp_path.iterdir()) == []  # unnamed: nothing a killed crawl leaves behind
    spool.discard()
    assert spool.length == 13
