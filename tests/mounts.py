"""Small filesystems of the tests' own: a full disk and read-only media, made with tmpfs.

Mounting needs root (or CAP_SYS_ADMIN), which the CI machines and this project's
development machines give; elsewhere the tests that need one are skipped, saying why.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)


@contextmanager
def mounted_tmpfs(path: Path, size_mb: float) -> Iterator[Callable[..., None]]:
    """A tmpfs of `size_mb` MB at `path` for the block; yields `remount(read_only=...,
    size_mb=...)` to make it read-only or to resize it (free space) while mounted."""
    import pytest

    path.mkdir(parents=True, exist_ok=True)
    result = _mount("-t", "tmpfs", "-o", f"size={int(size_mb * 1024)}k", "tmpfs", str(path))
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {result.stderr.strip()}")

    def remount(read_only: bool = False, size_mb: float | None = None) -> None:
        options = ["remount", "ro" if read_only else "rw"]
        if size_mb is not None:
            options.append(f"size={int(size_mb * 1024)}k")
        done = _mount("-o", ",".join(options), str(path))
        assert done.returncode == 0, done.stderr

    try:
        yield remount
    finally:
        done = subprocess.run(["umount", "-l", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
