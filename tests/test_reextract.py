"""`govarc reextract`: rows an older extractor produced are read again from the WARC with the
current one; what changes is recorded as the extractor's doing, never as the site's."""

from __future__ import annotations

from archive.extract import EXTRACTOR_VERSION
from archive.schema import connect
from tests.conftest import govarc, query
from tests.test_verify_rebuild import crawl


def test_reextract_records_the_extractors_changes_apart_from_the_sites(mini, tmp_path):
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    assert crawl(mini.registry(tmp_path / "mini.toml"), db, warc).returncode == 0
    urls = [u for (u,) in query(db, "SELECT url FROM articles ORDER BY url")]
    assert len(urls) == 3
    stale, same, current = urls
    # What an older extractor left: one body with a share line it did not drop, one row
    # whose fields the current extractor finds the same.
    archive = connect(db)  # with the tokenizer: the full-text index follows the updates
    with archive.conn as conn:
        conn.execute("UPDATE articles SET extractor_version = 1, method = NULL, "
                     "text = text || '\n分享到：微信 微博', content_hash = 'old' WHERE url = ?",
                     [stale])
        conn.execute("UPDATE article_versions SET text = text || '\n分享到：微信 微博', "
                     "content_hash = 'old' WHERE url = ?", [stale])
        conn.execute("UPDATE articles SET extractor_version = 1, confidence = NULL "
                     "WHERE url = ?", [same])
    archive.close()
    before = {u: t for u, t in query(db, "SELECT url, text FROM articles")}

    result = govarc("reextract", "--db", str(db), "--warc-dir", str(warc))
    assert result.returncode == 0, result.stderr
    assert (f"2 articles re-extracted with extractor {EXTRACTOR_VERSION}: 1 changed (new "
            "versions caused by the extractor), 1 the same, 0 with no text now (kept), "
            "0 problems") in result.stderr
    after = {u: (t, v, m, c) for u, t, v, m, c in query(
        db, "SELECT url, text, extractor_version, method, confidence FROM articles")}
    assert "分享到" not in after[stale][0] and after[stale][1:3] == (EXTRACTOR_VERSION, "rules")
    assert after[same][0] == before[same] and after[same][3] is not None
    assert after[current][0] == before[current]
    versions = query(db, "SELECT url, version, cause, run_id, warc_offset FROM article_versions "
                         "ORDER BY url, version")
    assert [(u, v, c) for u, v, c, _, _ in versions if u == stale] == [
        (stale, 1, "site"), (stale, 2, "extractor")]
    (offset_1, offset_2) = [o for u, _, _, _, o in versions if u == stale]
    assert offset_1 == offset_2  # read again from the same capture, no new fetch

    history = govarc("history", stale, "--db", str(db))
    assert "version 2  re-extracted" in history.stdout
    assert "(the site did not change)" in history.stdout
    assert "-分享到：微信 微博" in history.stdout  # the diff shows what the extractor dropped
    assert govarc("verify", "--db", str(db), "--warc-dir", str(warc)).returncode == 0

    again = govarc("reextract", "--db", str(db), "--warc-dir", str(warc))
    assert "0 articles re-extracted" in again.stderr  # nothing older is left
    missing = govarc("reextract", "--db", str(tmp_path / "none.db"), "--warc-dir", str(warc))
    assert missing.returncode == 2 and not (tmp_path / "none.db").exists()
