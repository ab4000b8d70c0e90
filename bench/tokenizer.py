"""What the C build of the tokenizer buys: indexing and search with the C and the Python
tokenizer on the same generated articles (the benchmark portal's text generator).

    python bench/tokenizer.py [--articles 5000] [--rounds 30]

Each engine indexes the same texts into its own FTS5 table in one temporary database
(one transaction), then runs the search benchmark's queries, ranked, 20 hits each.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import portal
from searchbench import QUERIES

from archive import fts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if fts.ENGINE != "c":
        print("the C tokenizer is not built here: nothing to compare", file=sys.stderr)
        return 2
    texts = [portal._article(n, args.articles)[0].text for n in range(args.articles)]
    chars = sum(len(t) for t in texts)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "bench.db")
        for engine in ("c", "python"):
            name = f"cjk_{engine}"
            fts.register_tokenizer(conn, name, engine)
            conn.execute(f"CREATE VIRTUAL TABLE t_{engine} USING fts5(body, tokenize='{name}')")
            started = time.perf_counter()
            with conn:
                conn.executemany(f"INSERT INTO t_{engine}(body) VALUES (?)",
                                 ((t,) for t in texts))
            indexing = time.perf_counter() - started
            latencies = {}
            for label, query in QUERIES:
                samples = []
                for _ in range(args.rounds):
                    started = time.perf_counter()
                    conn.execute(f"SELECT rowid FROM t_{engine} WHERE t_{engine} MATCH ? "
                                 "ORDER BY rank LIMIT 20", [query]).fetchall()
                    samples.append(time.perf_counter() - started)
                latencies[f"{label} {query}"] = statistics.median(samples) * 1000
            rows.append((engine, indexing, latencies))
    print(f"{args.articles:,} articles, {chars:,} characters")
    print(f"{'':28}" + "".join(f"{engine:>12}" for engine, _, _ in rows) + f"{'python/c':>12}")
    c_index, py_index = rows[0][1], rows[1][1]
    print(f"{'indexing, s':28}{c_index:12.2f}{py_index:12.2f}{py_index / c_index:11.1f}×")
    for key in rows[0][2]:
        c_ms, py_ms = rows[0][2][key], rows[1][2][key]
        print(f"{'search ' + key + ', ms':28}{c_ms:12.2f}{py_ms:12.2f}{py_ms / c_ms:11.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
