"""Running a reader program (antiword, tesseract) on untrusted input: no shell, bounded
time, bounded output."""

from __future__ import annotations

import os
import selectors
import subprocess
import time

from archive.doctext.base import DocumentError

TOOL_STDERR = 4096  # bytes of a program's messages kept

def run(argv: list[str], stdin: bytes, timeout: float, limit: int,
         env: dict[str, str] | None = None) -> tuple[int, bytes, bytes]:
    """Run `argv` (no shell) with `stdin`: its exit code, its output and the start of its
    messages. Output past `limit` bytes stops it (exit code -1, the output kept so far);
    past `timeout` seconds it is killed and DocumentError `too-large` raised."""
    program = os.path.basename(argv[0])
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env)
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
        try:
            code = proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            raise DocumentError("too-large", f"{program} took over {timeout:g} s") from None
    return code, bytes(out), bytes(err)


def first_line(message: bytes) -> str:
    lines = [line.strip() for line in message.decode("utf-8", "replace").splitlines()]
    return next((line for line in lines if line), "no message")[:300]


