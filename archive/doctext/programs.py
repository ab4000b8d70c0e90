"""Running a reader program (antiword, tesseract) on untrusted input: no shell, bounded
time, bounded output."""

from __future__ import annotations

import contextlib
import os
import selectors
import subprocess
import tempfile
import time
from collections.abc import Iterator

from archive.doctext.base import DocumentError

TOOL_STDERR = 4096  # bytes of a program's messages kept

def run(argv: list[str], stdin: bytes, timeout: float, limit: int,
         env: dict[str, str] | None = None,
         pass_fds: tuple[int, ...] = ()) -> tuple[int, bytes, bytes]:
    """Run `argv` (no shell) with `stdin`: its exit code, its output and the start of its
    messages. Output past `limit` bytes stops it (exit code -1, the output kept so far);
    past `timeout` seconds it is killed and DocumentError `too-large` raised. `pass_fds`:
    descriptors the program inherits (a document in memory, see `memory_file`)."""
    program = os.path.basename(argv[0])
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, pass_fds=pass_fds)
    except OSError as exc:
        raise DocumentError("unsupported", f"{program} cannot be run: {exc}") from None
    out, err = bytearray(), bytearray()
    pending = memoryview(stdin)
    deadline = time.monotonic() + timeout
    with proc, selectors.DefaultSelector() as selector:
        assert proc.stdin and proc.stdout and proc.stderr
        if pending:
            selector.register(proc.stdin, selectors.EVENT_WRITE)
        else:
            proc.stdin.close()
        selector.register(proc.stdout, selectors.EVENT_READ)
        selector.register(proc.stderr, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                proc.kill()
                raise DocumentError("too-large", f"{program} took over {timeout:g} s")
            for key, _ in selector.select(remaining):
                if key.fileobj is proc.stdin:
                    try:  # at most PIPE_BUF bytes: a write the select allows never blocks
                        pending = pending[os.write(key.fd, pending[:4096]):]
                    except BrokenPipeError:
                        pending = pending[:0]
                    if not pending:
                        selector.unregister(proc.stdin)
                        proc.stdin.close()
                    continue
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                elif key.fileobj is proc.stdout:
                    out += chunk
                    if len(out) > limit:
                        proc.kill()
                        return -1, bytes(out[:limit]), bytes(err)
                else:
                    err += chunk[:max(0, TOOL_STDERR - len(err))]
        code = _exit_code(proc, deadline)
        if code is None:
            proc.kill()
            raise DocumentError("too-large", f"{program} took over {timeout:g} s")
    return code, bytes(out), bytes(err)


def _exit_code(proc: subprocess.Popen[bytes], deadline: float) -> int | None:
    """The exit code of `proc` once it ends, None if it outlives `deadline`. A process
    descriptor (Linux) wakes us the moment it exits; Popen.wait with a timeout polls in
    sleeps of 0.5 ms and more, which was a third of reading a small DOC."""
    if proc.poll() is not None:
        return proc.returncode
    try:
        pidfd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):  # not Linux 5.3+: Popen's polling wait
        try:
            return proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return None
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(pidfd, selectors.EVENT_READ)
            selector.select(max(0.1, deadline - time.monotonic()))
    finally:
        os.close(pidfd)
    return proc.poll()


@contextlib.contextmanager
def memory_file(data: bytes, suffix: str) -> Iterator[tuple[str, tuple[int, ...]]]:
    """`data` as a file a program can open and seek: a memfd it inherits, named by its
    /dev/fd path (Linux), or else a temporary file. Yields (path, descriptors to pass)."""
    try:
        fd = os.memfd_create("govarc-document", os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        fd = -1
    if fd >= 0:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            yield f"/dev/fd/{fd}", (fd,)
        finally:
            os.close(fd)
        return
    with tempfile.TemporaryDirectory(prefix="govarc-doc-") as folder:
        path = os.path.join(folder, "document" + suffix)
        with open(path, "wb") as fh:
            fh.write(data)
        yield path, ()


def first_line(message: bytes) -> str:
    lines = [line.strip() for line in message.decode("utf-8", "replace").splitlines()]
    return next((line for line in lines if line), "no message")[:300]


