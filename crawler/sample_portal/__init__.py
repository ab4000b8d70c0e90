"""A local imitation of provincial portals for tests and demos.

Portals: sample-yn (TRS WCM), sample-zj (Hanweb JCMS), sample-js (Hanweb JPaaS), sample-gd
(a generic CMS with 下一页 paging and traps), sample-sn (TRS with the newer pager, alternate
copies and challenge-protected sections) and sample-mirror (a tampered copy of sample-yn).
`build_site()` describes everything that is served and what a crawler should find;
`SamplePortalServer` serves it in-process; `serve_sample_portal()` runs it in a subprocess.
The fault-injecting portal the tests use lives with them (`tests/fault_portal/`).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .registry import registry_toml, write_registry
from .server import SamplePortalServer
from .site import build_site
from .specs import (
    ArticleSpec,
    AttachmentSpec,
    BrokenSpec,
    PortalSpec,
    SampleSite,
    SectionSpec,
    TamperSpec,
    TrapSpec,
)

__all__ = [
    "ArticleSpec",
    "AttachmentSpec",
    "BrokenSpec",
    "PortalSpec",
    "RunningSamplePortal",
    "SamplePortalError",
    "SamplePortalServer",
    "SampleSite",
    "SectionSpec",
    "TamperSpec",
    "TrapSpec",
    "build_site",
    "registry_toml",
    "serve_sample_portal",
]

STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 5.0


class SamplePortalError(RuntimeError):
    """The sample portal subprocess did not start."""


@dataclass
class RunningSamplePortal:
    """Sample portals served by a subprocess."""

    base_urls: dict[str, str]
    process: subprocess.Popen[str]

    def write_registry(self, path: str | Path, without: Iterable[str] = ()) -> Path:
        """Write a portal registry TOML naming the live addresses (of every portal but
        those `without`); returns the path."""
        left_out = set(without)
        return write_registry(path, {k: v for k, v in self.base_urls.items()
                                     if k not in left_out})


def _read_line(stream: IO[str] | None, timeout: float) -> str:
    if stream is None:
        return ""
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0] if result else ""


@contextlib.contextmanager
def serve_sample_portal(host: str = "127.0.0.1", portals: Iterable[str] | None = None,
                        ports: Mapping[str, int] | None = None, bad_documents: bool = False
                        ) -> Iterator[RunningSamplePortal]:
    """Run `python -m crawler.sample_portal` in a subprocess for the duration of the block.

    `portals`: serve only these portal ids (default: every portal of `build_site()`);
    `ports`: the port to serve a portal on, where it is free (default: any free port);
    `bad_documents`: sample-gov also links the bad documents (sample_portal.policy).
    """
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    args = ["--host", host]
    for portal in portals or ():
        args += ["--portal", portal]
    for portal, port in (ports or {}).items():
        args += ["--port", f"{portal}={port}"]
    if bad_documents:
        args.append("--bad-documents")
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.sample_portal", *args],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, encoding="utf-8", env=env,
    )
    try:
        line = _read_line(process.stdout, STARTUP_TIMEOUT)
        if not line:
            raise SamplePortalError(
                "python -m crawler.sample_portal printed no address line "
                f"(exit code {process.poll()}); run it by hand to see its error"
            )
        yield RunningSamplePortal(base_urls=json.loads(line), process=process)
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
