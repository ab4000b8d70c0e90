"""Commands that only read the archive never create one, say what is wrong in one line,
and work on a read-only copy of an archive."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import govarc, query
from tests.mounts import mounted_tmpfs

READ_ONLY_COMMANDS = [
    ["verify"],
    ["report"],
    ["flags"],
    ["history", "http://127.0.0.1/x.html"],
    ["export", "jsonl"],
    ["export", "csv"],
    ["search", "曲靖"],
]


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize("command", READ_ONLY_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_missing_database_is_exit_2_one_line_and_nothing_created(command, tmp_path):
    db = tmp_path / "typo" / "archve.db"
    result = govarc(*command, "--db", str(db), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert one_line(result.stderr) == f"govarc: no archive database at {db}"
    assert list(tmp_path.iterdir()) == []  # no file, no folder, no lock


def test_verify_in_a_folder_without_an_archive_is_not_ok(tmp_path):
    result = govarc("verify", cwd=tmp_path)
    assert result.returncode == 2 and "no archive database at data/archive.db" in result.stderr
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "warc").mkdir()
    result = govarc("verify", "--no-db", "--warc-dir", str(tmp_path / "warc"))
    assert result.returncode == 1 and "no WARC files" in result.stdout
    result = govarc("verify", "--no-db", "--warc-dir", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert one_line(result.stderr) == f"govarc: no WARC folder at {tmp_path / 'nowhere'}"


def test_options_a_command_does_not_use_are_refused(crawled, tmp_path):
    for command in (["report"], ["flags"], ["search", "曲靖"], ["history", "x"],
                    ["export", "jsonl"], ["export", "csv"]):
        result = govarc(*command, "--db", str(crawled.db), "--warc-dir", "elsewhere")
        assert result.returncode == 2 and "No such option '--warc-dir'" in result.stderr
    for setting, option in (("GOVARC_DB", "--db"), ("GOVARC_WARC_DIR", "--warc-dir"),
                            ("GOVARC_PORTAL_FILE", "--portal-file")):
        result = govarc("crawl", "--db", str(tmp_path / "a.db"), "-s", f"{setting}=other",
                        cwd=tmp_path)
        assert result.returncode == 2
        assert one_line(result.stderr) == (f"govarc: -s {setting} is not accepted: give the "
                                           f"path with {option}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("query_text", "message"), [
    ("", "govarc: empty query: give a word or a phrase to search for"),
    ("   ", "govarc: empty query: give a word or a phrase to search for"),
    ("*", "not a valid query"),
    ('AND "', "put it in double quotes"),
])
def test_search_errors_are_one_line(crawled, query_text, message):
    result = govarc("search", query_text, "--db", str(crawled.db))
    assert result.returncode == 2
    assert message in one_line(result.stderr)


def test_failing_read_only_commands_do_not_import_scrapy(crawled, tmp_path):
    """Scrapy costs about half a second to import: the error path of a search (or any
    read-only command) must not pay it."""
    code = ("import runpy, sys\n"
            "sys.argv = ['govarc'] + sys.argv[1:]\n"
            "try:\n"
            "    runpy.run_module('crawler.cli', run_name='__main__')\n"
            "except SystemExit as exit:\n"
            "    print(exit.code, 'scrapy' in sys.modules, file=sys.stderr)\n")
    for args in (["search", "*", "--db", str(crawled.db)],
                 ["search", "曲靖", "--db", str(tmp_path / "missing.db")],
                 ["verify", "--db", str(tmp_path / "missing.db")],
                 ["export", "csv", "--since", "yesterday", "--db", str(crawled.db)]):
        result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                                text=True, timeout=60)
        assert result.stderr.splitlines()[-1] == "2 False", (args, result.stderr)


def test_search_of_a_file_that_is_no_sqlite_database(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("這不是資料庫 " * 500, encoding="utf-8")
    result = govarc("search", "曲靖", "--db", str(bogus))
    assert result.returncode == 2
    assert one_line(result.stderr) == (f"govarc: {bogus} is not an SQLite database "
                                       "(file is not a database)")


def test_a_search_without_hits_says_so_on_stderr(crawled):
    result = govarc("search", "不存在的词语组合", "--db", str(crawled.db))
    assert result.returncode == 0 and result.stdout == ""
    assert one_line(result.stderr) == "govarc: no articles match '不存在的词语组合'"


@pytest.fixture()
def read_only_copy(crawled, tmp_path) -> tuple[Path, Path]:
    """The crawled archive copied onto a read-only mount: WAL database without -shm."""
    source = sqlite3.connect(crawled.db)
    mode = source.execute("PRAGMA journal_mode").fetchone()[0]
    source.close()
    assert mode == "wal"
    mount = tmp_path / "ro"
    with mounted_tmpfs(mount, size_mb=64) as remount:
        shutil.copy(crawled.db, mount / "archive.db")  # the file alone: no -wal, no -shm
        shutil.copytree(crawled.warc_dir, mount / "warc")
        remount(read_only=True)
        yield mount / "archive.db", mount / "warc"


def test_a_read_only_copy_is_searched_verified_exported_and_reported(read_only_copy, crawled):
    db, warc = read_only_copy
    with pytest.raises(OSError):
        (db.parent / "probe").write_text("x")
    result = govarc("search", "曲靖", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n    http") >= 3
    result = govarc("verify", "--db", str(db), "--warc-dir", str(warc))
    assert result.returncode == 0, result.stdout + result.stderr
    verified = govarc("verify", "--db", str(crawled.db), "--warc-dir", str(crawled.warc_dir))
    assert one_line(result.stderr) == one_line(verified.stderr)  # same counts as the original
    result = govarc("export", "jsonl", "--db", str(db))
    assert result.returncode == 0, result.stderr
    exported = [json.loads(line)["url"] for line in result.stdout.splitlines()]
    assert sorted(exported) == sorted(u for (u,) in query(crawled.db, "SELECT url FROM articles"))
    for command in (["report"], ["flags"]):
        result = govarc(*command, "--db", str(db))
        assert result.returncode == 0 and result.stdout, result.stderr
    history_url = query(crawled.db, "SELECT url FROM articles LIMIT 1")[0][0]
    result = govarc("history", history_url, "--db", str(db))
    assert result.returncode == 0 and "version 1" in result.stdout
    assert sorted(p.name for p in db.parent.iterdir()) == ["archive.db", "warc"]
