"""The capture-only peers, crawled in the same run as govarc and bare Scrapy (issue 20).

- **scrapy-webarchive 0.5.3** (WACZ; pins Scrapy < 2.12 and warcio 1.7.4),
- **scrapy-warc 0.10.0** (a downloader middleware; imports `scrapy.utils.boto.is_botocore`,
  which Scrapy removed after 2.7: it runs on Scrapy 2.7.1),

both with the w3lib and Twisted of their day (the newer ones broke those Scrapy releases),
- **wget** (Debian's, `-r --warc-file`),
- and the bare spider on scrapy-webarchive's Scrapy 2.11 with no plugin: what the older
  Scrapy costs by itself, beside bare Scrapy 2.19 (govarc's).

The two Scrapy plugins run the bench's bare spider (bench/bare_spider.py: the same list
walking, the same settings) in a virtual environment of their own, made by the bench under
`~/.cache/govarc-bench/` from the pins below, with the plugin switched on as its README
says. Every tool's WARC files are counted (response records = pages) and checked with
`warcio check` and `fastwarc check`, both run from the bench's own environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import procmeter  # noqa: E402

VENVS = Path(os.environ.get("GOVARC_BENCH_VENVS", Path.home() / ".cache" / "govarc-bench"))


@dataclass(frozen=True)
class Peer:
    """A Scrapy plugin: what its environment needs and the settings that switch it on."""

    name: str
    requirements: tuple[str, ...]
    settings: dict[str, Any] = field(default_factory=dict)


PEERS = {
    # The webarchive plugin's Scrapy with no plugin: what its Scrapy costs by itself.
    "scrapy-2.11": Peer("scrapy-2.11", ("scrapy-webarchive==0.5.3", "w3lib<2.2", "Twisted<24")),
    "scrapy-webarchive": Peer(
        "scrapy-webarchive", ("scrapy-webarchive==0.5.3", "w3lib<2.2", "Twisted<24"),
        {"EXTENSIONS": {"scrapy_webarchive.extensions.WaczExporter": 543},
         "SW_EXPORT_URI": "{workdir}/"}),
    "scrapy-warc": Peer(
        "scrapy-warc", ("scrapy-warc==0.10.0", "scrapy==2.7.1", "w3lib<2.2", "Twisted<23",
                        "warcio", "six"),
        {"DOWNLOADER_MIDDLEWARES": {
            "scrapy_warc.downloadmiddlewares.warcio.WarcioMiddleware": 650},
         "WARC_PREFIX": "bench", "WARC_MAX_SIZE": 1_000_000_000, "WARC_SPEC": "WARC/1.0",
         "WARC_OPERATOR": "govarc bench", "WARC_COLLECTION": "bench",
         "WARC_DESCRIPTION": "govarc bench", "WARC_ROBOTS": "obey",
         "WARC_USER_AGENT": "govarc-bench-bare/1.0"}),
}


def ensure_venv(peer: Peer) -> Path:
    """The Python of the peer's virtual environment (made on first use, from PyPI)."""
    key = hashlib.sha1("\n".join(peer.requirements).encode()).hexdigest()[:10]
    folder = VENVS / f"venv-{peer.name}-{key}"
    python = folder / "bin" / "python"
    if python.exists():
        return python
    staging = folder.with_name(folder.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(staging)], check=True)
    subprocess.run([str(staging / "bin" / "python"), "-m", "pip", "install", "-q",
                    *peer.requirements], check=True)
    staging.rename(folder)  # the venv's scripts name the folder: call its python by path
    return python


def _settings_file(settings: dict[str, Any], workdir: Path) -> Path:
    """The peer's settings as typed JSON (scrapy-warc compares WARC_MAX_SIZE raw)."""
    path = workdir / "peer-settings.json"
    text = json.dumps(settings).replace("{workdir}", str(workdir))
    path.write_text(text, encoding="utf-8")
    return path


def warc_paths(workdir: Path) -> list[Path]:
    """Every WARC file a tool left under `workdir` (those inside a WACZ taken out)."""
    found = sorted(p for p in workdir.rglob("*.warc*") if p.is_file()
                   and not p.name.endswith(".open"))
    if found:
        return found
    for wacz in sorted(workdir.rglob("*.wacz")):
        with zipfile.ZipFile(wacz) as archive:
            for name in archive.namelist():
                if ".warc" in name:
                    target = workdir / "from-wacz" / Path(name).name
                    target.parent.mkdir(exist_ok=True)
                    target.write_bytes(archive.read(name))
                    found.append(target)
    return found


def warc_figures(paths: list[Path], article: re.Pattern[str] | None = None) -> dict[str, Any]:
    """Response records (and those of article URLs), bytes, and whether `warcio check` and
    `fastwarc check` pass."""
    from warcio.archiveiterator import ArchiveIterator

    responses = articles = 0
    for path in paths:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    responses += 1
                    url = record.rec_headers.get_header("WARC-Target-URI") or ""
                    articles += bool(article and article.search(url))
    warcio = shutil.which("warcio")
    fastwarc = shutil.which("fastwarc")
    checks: dict[str, bool | None] = {"warcio": None, "fastwarc": None}
    if paths and warcio:
        result = subprocess.run([warcio, "check", *map(str, paths)], capture_output=True,
                                text=True, check=False)
        checks["warcio"] = result.returncode == 0
    if paths and fastwarc:
        checks["fastwarc"] = all(subprocess.run(
            [fastwarc, "check", "-q", str(p)], capture_output=True, check=False
        ).returncode == 0 for p in paths)
    return {"responses": responses, "article_responses": articles,
            "warc_bytes": sum(p.stat().st_size for p in paths),
            "warc_files": len(paths), "checks": checks}


def crawl_peer(name: str, portal_file: Path, base_settings: list[str], workdir: Path,
               server_pid: int, article: re.Pattern[str] | None = None) -> dict[str, Any]:
    """One crawl by a Scrapy plugin peer (the bare spider with the plugin on)."""
    peer = PEERS[name]
    python = ensure_venv(peer)
    workdir.mkdir(parents=True, exist_ok=True)
    stats = workdir / "stats.json"
    before = procmeter.cpu_seconds(server_pid)
    result = procmeter.run(
        [str(python), str(BENCH / "bare_spider.py"), "--portal-file", str(portal_file),
         "--stats", str(stats), *base_settings, "--settings-json",
         str(_settings_file(peer.settings, workdir)),
         "-s", f"LOG_FILE={workdir / 'scrapy.log'}"],
        cwd=workdir, stderr=workdir / "stderr")
    if not peer.settings:  # Scrapy alone: no WARC; its own count of responses
        if result.returncode != 0:
            raise RuntimeError(f"{name} failed ({result.returncode}): {workdir}/scrapy.log")
        pages = int(json.loads(stats.read_text(encoding="utf-8")).get(
            "response_received_count", 0))
        return _result(result, pages, {}, procmeter.cpu_seconds(server_pid) - before)
    figures = warc_figures(warc_paths(workdir), article)
    if result.returncode != 0 or not figures["responses"]:
        raise RuntimeError(f"{name} failed ({result.returncode}, {figures['responses']} "
                           f"responses archived): {workdir}/scrapy.log")
    return _result(result, figures["responses"], figures, procmeter.cpu_seconds(server_pid)
                   - before)


def crawl_wget(portal_file: Path, workdir: Path, server_pid: int,
               article: re.Pattern[str] | None = None) -> dict[str, Any]:
    """One recursive wget of every section, into a WARC file."""
    wget = shutil.which("wget")
    if wget is None:
        raise RuntimeError("wget is not installed (apt-get install wget)")
    data = tomllib.loads(portal_file.read_text(encoding="utf-8"))
    urls = [s["url"] for p in data["portal"] for s in p["section"]]
    workdir.mkdir(parents=True, exist_ok=True)
    before = procmeter.cpu_seconds(server_pid)
    result = procmeter.run(
        [wget, "--recursive", "--level=inf", "--no-parent", "--no-verbose",
         "--warc-file", str(workdir / "wget"), "--no-warc-keep-log", "--delete-after",
         "--directory-prefix", str(workdir / "files"), "--user-agent",
         "govarc-bench-bare/1.0", *urls], cwd=workdir, stderr=workdir / "stderr")
    if result.returncode not in (0, 8):  # 8: some page answered an error (robots.txt 404)
        raise RuntimeError(f"wget failed ({result.returncode}): {workdir}/stderr")
    figures = warc_figures(warc_paths(workdir), article)
    return _result(result, figures["responses"], figures, procmeter.cpu_seconds(server_pid)
                   - before)


def _result(measured: procmeter.Measured, pages: int, figures: dict[str, Any],
            server_cpu: float) -> dict[str, Any]:
    return {**measured.as_dict(), "pages": pages, "pages_per_s": pages / measured.seconds,
            "cpu_ms_per_page": 1000 * measured.cpu_seconds / max(pages, 1),
            "server_cpu_share": server_cpu / measured.seconds, **figures}
