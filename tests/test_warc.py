"""WARC capture: records read back with warcio are exactly what was exchanged."""

from __future__ import annotations

import gzip
import itertools
import random
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from archive.warc import HttpExchange, WarcRecorder, warc_files
from archive.warc_read import iter_records, read_record, resolve

BODY = gzip.compress("<html><body><p>曲靖市扶贫工作</p></body></html>".encode())


def exchange(url: str = "http://127.0.0.1:8000/ywdt/zsdt/index.html", body: bytes = BODY,
             **kw) -> HttpExchange:
    return HttpExchange(
        url=url,
        method=kw.pop("method", "GET"),
        request_headers=[("User-Agent", "govarc-test"), ("Accept-Encoding", "gzip, deflate")],
        request_body=kw.pop("request_body", b""),
        status=kw.pop("status", 200),
        response_headers=kw.pop(
            "response_headers",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Encoding", "gzip"),
                ("Set-Cookie", "a=1; Path=/"),
                ("Set-Cookie", "b=2; Path=/"),
                ("Content-Disposition", "attachment; filename=\xe9\x99\x84\xe4\xbb\xb6.pdf"),
            ],
        ),
        response_body=body,
        **kw,
    )


def test_exchange_reads_back_byte_for_byte(tmp_path: Path):
    with WarcRecorder(tmp_path) as recorder:
        location = recorder.write_exchange(exchange(ip_address="127.0.0.1"))
        # while open the file carries the .open suffix
        assert list(tmp_path.glob("*.warc.gz.open"))
    assert not list(tmp_path.glob("*.open"))
    path = resolve(tmp_path, location.response.filename)
    response = read_record(path, location.response.offset)
    assert response.rec_type == "response"
    assert response.raw_body == BODY  # as transferred, still gzip-compressed
    assert response.body.decode() == "<html><body><p>曲靖市扶贫工作</p></body></html>"
    assert response.length == location.response.length
    assert [v for k, v in response.headers if k == "Set-Cookie"] == ["a=1; Path=/", "b=2; Path=/"]
    # non-ASCII header bytes are kept as sent, not percent-encoded
    (path_bytes,) = [gzip.decompress(p.read_bytes()) for p in warc_files(tmp_path)]
    assert "filename=附件.pdf".encode() in path_bytes
    request = read_record(path, location.request.offset)
    assert request.rec_type == "request"
    with open(path, "rb") as fh:
        records = list(ArchiveIterator(fh))
    assert [r.rec_type for r in records] == ["warcinfo", "response", "request"]


def test_warc_headers_link_request_to_response(tmp_path: Path):
    with WarcRecorder(tmp_path) as recorder:
        location = recorder.write_exchange(
            exchange(method="POST", request_body=b"col=1&unitid=7706", ip_address="127.0.0.1")
        )
    path = resolve(tmp_path, location.response.filename)
    with open(path, "rb") as fh:
        records = {r.rec_type: r for r in ArchiveIterator(fh)}
    response, request = records["response"], records["request"]
    assert request.rec_headers.get_header("WARC-Concurrent-To") == (
        response.rec_headers.get_header("WARC-Record-ID")
    )
    for record in (response, request):
        assert record.rec_headers.get_header("WARC-Target-URI").endswith("/ywdt/zsdt/index.html")
        assert record.rec_headers.get_header("WARC-Date").startswith("20")
        assert record.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    assert response.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert response.http_headers.protocol == "HTTP/1.1"
    assert request.http_headers.protocol == "POST"
    assert request.http_headers.statusline == "/ywdt/zsdt/index.html HTTP/1.1"
    assert request.http_headers.get_header("Host") == "127.0.0.1:8000"
    assert records["warcinfo"] is not None
    body = read_record(path, location.request.offset).raw_body
    assert body == b"col=1&unitid=7706"


def test_files_rotate_at_the_size_limit(tmp_path: Path):
    payload = random.Random(7).randbytes(3000)  # incompressible, so sizes are predictable
    recorder = WarcRecorder(tmp_path, max_size=4000)
    locations = [recorder.write_exchange(exchange(body=payload)) for _ in range(6)]
    recorder.close()
    files = list(warc_files(tmp_path))
    assert len(files) >= 3
    for location in locations:
        record = read_record(resolve(tmp_path, location.response.filename),
                             location.response.offset)
        assert record.raw_body == payload
    for path in files:  # every file starts with its own warcinfo record
        assert next(iter(iter_records(path))).rec_type == "warcinfo"


def test_output_is_deterministic_with_injected_clock_and_ids(tmp_path: Path):
    def write(folder: Path) -> bytes:
        ids = (f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>" for n in itertools.count())
        clock = lambda: datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # noqa: E731
        with WarcRecorder(folder, clock=clock, record_id=lambda: next(ids),
                          info={"hostname": "test"}) as recorder:
            recorder.write_exchange(exchange(captured_at=clock()))
        (path,) = warc_files(folder)
        return gzip.decompress(path.read_bytes())

    first, second = write(tmp_path / "a"), write(tmp_path / "b")
    assert first == second
    assert b"WARC-Date: 2026-11-27T12:00:00Z" in first


def test_chunked_transfer_is_recorded_dechunked_with_the_original_header_kept(tmp_path: Path):
    headers = [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")]
    with WarcRecorder(tmp_path) as recorder:
        location = recorder.write_exchange(exchange(body=b"<p>ok</p>", response_headers=headers))
    record = read_record(resolve(tmp_path, location.response.filename), location.response.offset)
    assert record.raw_body == b"<p>ok</p>"
    assert record.header("X-Archive-Orig-Transfer-Encoding") == "chunked"
    assert record.header("Transfer-Encoding") is None


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=5000), st.sampled_from([200, 404, 500, 304]))
def test_any_payload_round_trips(tmp_path_factory, payload: bytes, status: int):
    folder = tmp_path_factory.mktemp("warc")
    with WarcRecorder(folder) as recorder:
        location = recorder.write_exchange(
            exchange(body=payload, status=status, response_headers=[("Content-Type", "x/y")])
        )
    record = read_record(resolve(folder, location.response.filename), location.response.offset)
    assert record.raw_body == payload
    assert record.status == status


def test_a_payload_sent_compressed_is_stored_in_a_member_of_its_own(tmp_path: Path):
    """A response sent gzipped is one gzip member: headers deflated, the payload (which
    deflate cannot shrink) stored; every reader sees the record and its digests intact."""
    import zlib

    page = "".join(f"<p>曲靖市第{i}号文件 {random.random()}</p>" for i in range(400)).encode()
    body = gzip.compress(page)
    with WarcRecorder(tmp_path) as recorder:
        location = recorder.write_exchange(exchange(body=body))
    path = resolve(tmp_path, location.response.filename)
    with open(path, "rb") as fh:
        fh.seek(location.response.offset)
        member = fh.read(location.response.length)
    inflater = zlib.decompressobj(zlib.MAX_WBITS + 16)
    record = inflater.decompress(member)
    assert inflater.eof and not inflater.unused_data  # exactly one whole member
    assert body in record and len(record) > len(body) + 300
    # the payload is stored as sent, the headers compressed: smaller than the record
    assert body in member and len(member) < len(record)
    assert read_record(path, location.response.offset).body == page
    with open(path, "rb") as fh:
        records = list(ArchiveIterator(fh, check_digests="raise"))
    assert [r.rec_type for r in records] == ["warcinfo", "response", "request"]
