"""Run a command and measure it: wall time, CPU time and peak memory of its process tree.

Memory is read from /proc (stdlib only, Linux): every `interval` seconds the meter walks
the tree below the child (`/proc/<pid>/task/<tid>/children`) and sums the VmRSS of every
live process; the peak of that sum is `peak_tree_rss`, which counts a worker process or a
pool next to the crawl. Each process's own `VmHWM` (the kernel's exact peak since its exec)
is kept too: `main_hwm` for the command itself, `hwm_sum` summed over every process seen
(an upper bound that also catches spikes between samples). `os.wait4` gives the CPU time
of the child and every descendant it waited for. (Its `ru_maxrss` is not used: it carries
the RSS of the parent at fork, so it reports the orchestrator's size, not the command's.)
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Measured:
    """What one command cost."""

    returncode: int
    seconds: float
    cpu_seconds: float
    peak_tree_rss_mb: float
    main_hwm_mb: float  # VmHWM of the command's own process
    hwm_sum_mb: float  # VmHWM summed over every process of the tree
    max_processes: int
    samples: int
    peak_tree_pss_mb: float = 0.0  # the tree's proportional set size: shared pages once

    def as_dict(self) -> dict[str, float | int]:
        """A JSON-ready dict."""
        return asdict(self)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
        except OSError:
            continue
        found.extend(int(c) for c in text.split())
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a live process, in kB; zeros once it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    hwm = int(line.split()[1])
                elif line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1])
                    break
    except OSError:
        pass
    return rss, hwm


def _pss_kb(pid: int) -> int:
    """Pss of a live process (smaps_rollup), in kB: its shared pages divided among their
    users, so a tree's sum counts a page once (Chromium's processes share most of theirs)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree(pid: int) -> list[int]:
    """The process and all its live descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(_children(current))
    return pids


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (not of its children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(args: list[str], *, cwd: str | Path | None = None, env: dict[str, str] | None = None,
        stdout: Path | None = None, stderr: Path | None = None,
        interval: float = 0.1, timeout: float | None = None, pss: bool = False) -> Measured:
    """Run `args` to completion and measure it (stdout/stderr to files, or discarded);
    `pss`: also the tree's peak PSS (reading smaps_rollup costs more per sample)."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    err = open(stderr, "wb") if stderr else subprocess.DEVNULL  # noqa: SIM115
    peak = [0, 0, 0, 0]  # peak tree RSS (kB), most processes, samples, peak tree PSS (kB)
    hwm: dict[int, int] = {}  # pid -> highest VmHWM seen (kB)
    done = threading.Event()
    started = time.monotonic()
    try:
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL)

        def poll() -> None:
            while not done.is_set():
                pids = tree(process.pid)
                total = 0
                for pid in pids:
                    rss, high = _memory_kb(pid)
                    total += rss
                    hwm[pid] = max(hwm.get(pid, 0), high)
                peak[0] = max(peak[0], total)
                if pss:
                    peak[3] = max(peak[3], sum(_pss_kb(pid) for pid in pids))
                peak[1] = max(peak[1], len(pids))
                peak[2] += 1
                done.wait(interval)

        thread = threading.Thread(target=poll, daemon=True)
        thread.start()
        killer = None
        if timeout is not None:
            killer = threading.Timer(timeout, process.kill)
            killer.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        if killer is not None:
            killer.cancel()
        seconds = time.monotonic() - started
        done.set()
        thread.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        for f in (out, err):
            if f is not subprocess.DEVNULL:
                f.close()  # type: ignore[union-attr]
    return Measured(returncode=process.returncode, seconds=seconds,
                    cpu_seconds=usage.ru_utime + usage.ru_stime,
                    peak_tree_rss_mb=peak[0] / 1024,
                    main_hwm_mb=hwm.get(process.pid, 0) / 1024,
                    hwm_sum_mb=sum(hwm.values()) / 1024,
                    max_processes=peak[1], samples=peak[2],
                    peak_tree_pss_mb=peak[3] / 1024)
