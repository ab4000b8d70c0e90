"""Look for regexes over page content whose cost grows faster than their input.

    python bench/regex_scan.py [--size 1500] [NAME_SUBSTRING]

Every compiled pattern of the modules that read pages (tests/regex_inventory.py lists
them) is run over inputs shaped like the attacks that make backtracking regexes slow: a
literal piece of the pattern followed by a long filler (one start, a long tail), the same
unit repeated (many starts), each also ended by a character no pattern expects (so an
anchored match fails at the end and backtracks). First on 60 characters (an exponential
pattern shows there), then on SIZE characters; the worst input is run again at twice the
size: a ratio near 2 is linear, near 4 quadratic. Each pattern runs in a process of its
own with a time limit (Python cannot interrupt a running regex). What this finds goes into
the worst-input table of tests/test_linear_regexes.py, which runs every pattern on 1 MB
of its worst input within a time budget.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.regex_inventory import candidate_inputs, page_patterns

LIMIT = 120.0  # seconds per pattern


def cost(pattern, data) -> float:
    started = time.perf_counter()
    for _ in pattern.finditer(data):
        pass
    return time.perf_counter() - started


def measure(name: str, size: int, out) -> None:
    pattern = dict(page_patterns())[name]
    shapes = list(candidate_inputs(pattern))
    small = max(shapes, key=lambda s: cost(pattern, s.data(pattern, 60)))
    if cost(pattern, small.data(pattern, 60)) > 0.01:
        out.put((float("inf"), cost(pattern, small.data(pattern, 60)), small.describe))
        return
    spent, shape = max(((cost(pattern, s.data(pattern, size)), s) for s in shapes),
                       key=lambda r: r[0])
    doubled = cost(pattern, shape.data(pattern, 2 * size))
    out.put((doubled / spent if spent else 0.0, doubled, shape.describe))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1500)
    parser.add_argument("name", nargs="?", default="")
    args = parser.parse_args()
    context = multiprocessing.get_context("fork")
    rows = []
    for name, _pattern in page_patterns():
        if args.name not in name:
            continue
        out = context.Queue()
        worker = context.Process(target=measure, args=(name, args.size, out))
        worker.start()
        worker.join(LIMIT)
        if worker.is_alive():
            worker.kill()
            worker.join()
            row = (float("inf"), LIMIT, "time limit")
        else:
            row = out.get()
        rows.append((row[0], row[1], name, row[2]))
        print(f"x{row[0]:5.1f}  {row[1] * 1000:10.1f} ms  {name:50} {row[2]}", flush=True)
    print("\nworst first:")
    for ratio, spent, name, shape in sorted(rows, reverse=True):
        if ratio >= 2.6 or spent > 0.05:
            print(f"x{ratio:5.1f}  {spent * 1000:10.1f} ms  {name:50} {shape}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
