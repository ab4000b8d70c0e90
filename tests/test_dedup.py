"""A re-crawl of unchanged pages writes revisit records, not second copies."""

from __future__ import annotations

import shutil
import sqlite3

from archive.warc import warc_files
from tests.conftest import BROWSER_ON, FAST, govarc


def test_full_recrawl_of_an_unchanged_portal_stores_revisits(crawled, tmp_path):
    db, warc = tmp_path / "archive.db", tmp_path / "warc"
    shutil.copy(crawled.db, db)
    shutil.copytree(crawled.warc_dir, warc)
    one_crawl = sum(p.stat().st_size for p in warc_files(warc))
    result = govarc("crawl", "--portal-file", str(crawled.registry), "--db", str(db),
                    "--warc-dir", str(warc), "--full", *FAST, env=BROWSER_ON)
    assert result.returncode in (0, 1), result.stderr
    two_crawls = sum(p.stat().st_size for p in warc_files(warc))
    conn = sqlite3.connect(db)
    (run,) = conn.execute("SELECT max(id) FROM crawl_runs").fetchone()
    kinds = dict(conn.execute("SELECT record_type, count(*) FROM captures WHERE run_id = ? "
                              "GROUP BY record_type", [run]).fetchall())
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    unchanged = conn.execute("SELECT articles_unchanged, articles_new, articles_changed "
                             "FROM crawl_runs WHERE id = ?", [run]).fetchone()
    conn.close()
    assert kinds["revisit"] >= articles  # every article page came back identical
    assert unchanged == (articles, 0, 0)
    ratio = two_crawls / one_crawl
    print(f"WARC bytes: one crawl {one_crawl:,}, two crawls {two_crawls:,} (x{ratio:.2f})")
    # Not all of the second crawl can be revisits: the walled portal's browser visits bring
    # new challenge exchanges (their nonces change per visit) and a new rendered DOM each.
    assert ratio < 1.3
    verify = govarc("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout
