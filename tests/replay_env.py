"""pywb and py-wacz for the replay tests, in a virtual environment of their own.

Neither can live in govarc's environment (pywb pins redis 2.10.6 and fakeredis<1; py-wacz
pulls frictionless, which needs chardet>=6 where readability-lxml needs chardet<6), so the
tests make a venv once under ~/.cache/govarc-tests/replay-venv (or $GOVARC_REPLAY_VENV),
install both from PyPI into it, and re-use it while it still has them.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("pywb~=2.10.0", "wacz~=0.6.0", "setuptools<81")  # py-wacz imports pkg_resources
VENV = Path(os.environ.get("GOVARC_REPLAY_VENV")
            or Path.home() / ".cache" / "govarc-tests" / "replay-venv")
_READY = ".govarc-ready"  # written last: the packages it names are installed
INSTALL_TIMEOUT = 1200


class ReplayEnvError(RuntimeError):
    """The replay venv could not be made, or pywb would not start."""


@dataclass(frozen=True)
class ReplayEnv:
    venv: Path

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(self, *args: str, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run one of the venv's commands (wacz, wb-manager, ...)."""
        return subprocess.run([self.bin(args[0]), *args[1:]], cwd=cwd, capture_output=True,
                              text=True, timeout=timeout, env=_env())


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONWARNINGS")}
    env["PYTHONWARNINGS"] = "ignore"
    return env


def _ready(venv: Path) -> bool:
    stamp = venv / _READY
    return (stamp.is_file() and stamp.read_text() == "\n".join(PACKAGES)
            and all((venv / "bin" / name).exists() for name in ("wayback", "wb-manager", "wacz")))


def _step(args: list[str], what: str) -> None:
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=INSTALL_TIMEOUT,
                                env=_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReplayEnvError(f"{what} failed: {exc}") from exc
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise ReplayEnvError(f"{what} failed (exit {result.returncode}):\n{tail}")


def replay_env(venv: Path = VENV) -> ReplayEnv:
    """The venv with pywb and wacz, made (under a lock) if missing or incomplete."""
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / (venv.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another test run may be building it
        if not _ready(venv):
            shutil.rmtree(venv, ignore_errors=True)
            _step([sys.executable, "-m", "venv", str(venv)], f"python -m venv {venv}")
            pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
            _step([*pip, "install", *PACKAGES], f"pip install {' '.join(PACKAGES)} into {venv}")
            (venv / _READY).write_text("\n".join(PACKAGES))
    return ReplayEnv(venv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def wayback(env: ReplayEnv, root: Path, timeout: float = 60) -> Iterator[str]:
    """Run pywb's `wayback` on 127.0.0.1 over the collections in `root`; yields its base URL."""
    port = free_port()
    log = open(root / "wayback.log", "w+")  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        [env.bin("wayback"), "-b", "127.0.0.1", "-p", str(port), "-d", str(root)],
        cwd=root, stdout=log, stderr=subprocess.STDOUT, env=_env(), start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise ReplayEnvError(f"wayback exited with {process.returncode}:\n{log.read()}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise ReplayEnvError(f"wayback did not answer on {base} within {timeout} s")
            time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # its own session: pywb and any worker
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
