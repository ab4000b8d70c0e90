"""The README's picture of `govarc report --html`: a sample archive of several runs, opened
in Debian's Chromium and captured.

The archive is the sample portal's crawl (eight portals, flags, failures), then three runs
of the tests' small editable portal into it: new articles, one edited and one deleted
(--recheck), then a redesign that raises an extraction alarm, as tests/test_report_html.py
builds it. Everything runs on loopback.

    python bench/report_screenshot.py docs/report.png [--html docs/report-sample.html]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.sample_portal import serve_sample_portal  # noqa: E402
from tests.mini_portal import MiniPortal  # noqa: E402

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def govarc(*args: str) -> int:
    env = {**os.environ, "GOVARC_ALLOWED_NETWORKS": "127.0.0.0/8"}
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          check=False).returncode


def sample_archive(root: Path) -> Path:
    db, warc = root / "archive.db", root / "warc"
    with serve_sample_portal() as portal:
        registry = portal.write_registry(root / "portals.toml")
        govarc("crawl", "--portal-file", str(registry), "--db", str(db), "--warc-dir",
               str(warc), *FAST)
    mini = MiniPortal()
    try:
        registry = mini.registry(root / "mini.toml")
        crawl = ["crawl", "--portal-file", str(registry), "--db", str(db), "--warc-dir",
                 str(warc), *FAST]
        govarc(*crawl)
        edited, deleted = list(mini.articles)[:2]
        mini.articles[edited] = "更正后的正文：曲靖市高质量发展取得新成效。" * 8
        del mini.articles[deleted]
        for n in range(1, 4):
            mini.articles[f"/xw/202605/t202605{n:02d}_{n}.html"] = (
                f"第{n}篇新稿件的正文，讲述曲靖市乡村振兴工作的新做法和新成效。" * 6)
        govarc(*crawl, "--recheck")
        mini.redesigned = True
        for n in range(11, 14):
            mini.articles[f"/xw/202605/t202605{n:02d}_{n}.html"] = (
                f"第{n}篇新稿件的正文，讲述曲靖市乡村振兴工作的新做法和新成效。" * 6)
        govarc(*crawl)
    finally:
        mini.close()
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("png", type=Path)
    parser.add_argument("--html", type=Path, help="Keep the report page here too.")
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    root = Path(tempfile.mkdtemp(prefix="govarc-report-shot-"))
    try:
        db = sample_archive(root)
        page_file = root / "report.html"
        assert govarc("report", "--db", str(db), "--html", str(page_file)) == 0
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), chromium_sandbox=False,
                args=["--disable-gpu", "--no-first-run", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1060, "height": args.height})
            page.goto(page_file.as_uri())
            page.evaluate("document.fonts.ready.then(() => true)")
            args.png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.png))
            browser.close()
        if args.html:
            shutil.copy(page_file, args.html)
        print(f"wrote {args.png}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
