"""The WARC files pass two independent validators, and replay tools never mistake a
metadata record for the page it describes."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warc import warc_files


def test_warcio_check_passes(crawled):
    files = [str(p) for p in warc_files(crawled.warc_dir)]
    result = subprocess.run(["warcio", "check", "-v", *files], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "digest pass" in result.stdout and "digest failed" not in result.stdout


def test_fastwarc_check_passes(crawled, tmp_path):
    """`fastwarc check` (block digests) passes on every file; payload digests are checked
    with FastWARC too, on every record but revisits (a revisit's WARC-Payload-Digest is
    that of the payload it refers to, which `fastwarc check -p` cannot see): for those,
    the digest must equal the one of the record named by WARC-Refers-To."""
    fastwarc = shutil.which("fastwarc")
    if fastwarc is None:
        pytest.fail("fastwarc is not installed: pip install -e '.[test]'")
    from fastwarc.warc import ArchiveIterator as FastIterator

    payloads: dict[str, str] = {}
    revisits: list[tuple[str, str]] = []
    for path in warc_files(crawled.warc_dir):
        report = tmp_path / f"{path.name}.txt"
        result = subprocess.run([fastwarc, "check", "-q", "-o", str(report), str(path)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, report.read_text()[-3000:] + result.stderr
        with open(path, "rb") as fh:
            for record in FastIterator(fh):
                headers = record.headers
                digest = headers.get("WARC-Payload-Digest")
                if str(record.record_type) == "revisit":
                    revisits.append((headers.get("WARC-Refers-To"), digest))
                    continue
                if digest:
                    payloads[headers.get("WARC-Record-ID")] = digest
                    assert record.verify_payload_digest(), headers.get("WARC-Target-URI")
    for refers_to, digest in revisits:
        assert payloads[refers_to] == digest


def test_metadata_records_have_urns_and_no_payload_digest(crawled):
    seen = set()
    for path in warc_files(crawled.warc_dir):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "metadata":
                    continue
                headers = record.rec_headers
                uri = headers.get_header("WARC-Target-URI")
                assert uri.startswith("urn:govarc:"), uri
                assert headers.get_header("WARC-Payload-Digest") is None, uri
                assert headers.get_header("WARC-Block-Digest"), uri
                seen.add(uri.split(":")[2])
    assert seen == {"exchange", "failure", "run"}
