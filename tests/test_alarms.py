"""A redesigned portal is noticed on the next run: per section, how extraction went is
judged against the section's earlier runs, and what crosses a line raises an alarm."""

from __future__ import annotations

from archive.alarms import SectionHealth, judge
from tests.conftest import govarc, query
from tests.test_verify_rebuild import crawl, rows


def _add_articles(mini, first: int, count: int) -> None:
    for n in range(first, first + count):
        mini.articles[f"/xw/202605/t202605{n:02d}_{n}.html"] = (
            f"第{n}篇新稿件的正文，讲述曲靖市乡村振兴工作的新做法和新成效。" * 6)


def test_a_redesigned_section_raises_an_alarm_and_an_unchanged_one_none(mini, tmp_path):
    registry = mini.registry(tmp_path / "mini.toml")
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    first = crawl(registry, db, warc)
    assert first.returncode == 0, first.stderr
    assert "0 alarms" in first.stderr

    _add_articles(mini, 1, 3)  # new articles, the same template
    unchanged = crawl(registry, db, warc)
    assert unchanged.returncode == 0, unchanged.stderr
    assert query(db, "SELECT count(*) FROM alarms") == [(0,)]

    mini.redesigned = True  # body in a new container, a new footer
    _add_articles(mini, 11, 3)
    redesigned = crawl(registry, db, warc)
    assert redesigned.returncode == 6, redesigned.stderr  # EXIT_ALARM
    assert "1 alarms" in redesigned.stderr
    assert "alarm: mini/xw: 100% of 3 articles in a template the section never used before" \
        in redesigned.stderr
    (alarm,) = query(db, "SELECT run_id, portal, section, kind, value FROM alarms")
    assert alarm == (3, "mini", "xw", "template", 1.0)
    assert query(db, "SELECT alarms FROM crawl_runs ORDER BY id") == [(0,), (0,), (1,)]
    health = query(db, "SELECT run_id, articles, fallback, template FROM section_health "
                       "ORDER BY run_id")
    assert [h[:3] for h in health] == [(1, 3, 0.0), (2, 3, 0.0), (3, 3, 0.0)]
    assert health[0][3] == health[1][3] != health[2][3]
    report = govarc("report", "--db", str(db))
    assert "alarm: mini/xw: 100% of 3 articles in a template" in report.stdout

    # The rebuild judges the runs again, in order, from the WARC files alone.
    rebuilt = tmp_path / "rebuilt.db"
    assert govarc("rebuild", "--warc-dir", str(warc), "--db", str(rebuilt)).returncode == 0
    for sql in ("SELECT run_id, portal, section, kind, value, usual, message FROM alarms",
                "SELECT run_id, portal, section, articles, fallback, undated, untitled, "
                "repeated, median_chars, template, template_share FROM section_health",
                "SELECT id, alarms FROM crawl_runs"):
        assert rows(rebuilt, sql) == rows(db, sql), sql


def _health(**shares: float) -> SectionHealth:
    values = {"fallback": 0.0, "undated": 0.0, "untitled": 0.0, "repeated": 0.0, **shares}
    return SectionHealth(9, "p", "s", 10, **values, median_chars=800, template="div.a",
                         template_share=1.0)


def _usual(**shares: float) -> dict:
    return dict(_health(**shares).__dict__)  # a section_health row as the history gives it


def test_each_measure_raises_its_alarm_only_past_its_line():
    history = [_usual(), _usual(fallback=0.1)]
    assert judge(_health(), history, {"div.a"}) == []
    for kind in ("fallback", "undated", "untitled", "repeated"):
        (alarm,) = judge(_health(**{kind: 0.8}), history, {"div.a"})
        assert alarm.kind == kind and alarm.value == 0.8
        assert judge(_health(**{kind: 0.4}), history, {"div.a"}) == []  # under 50%
    # A section that always had half its articles undated raises nothing at 60%.
    assert judge(_health(undated=0.6), [_usual(undated=0.5)] * 3, {"div.a"}) == []
    short = _health()
    short.median_chars = 200
    (alarm,) = judge(short, history, {"div.a"})
    assert alarm.kind == "short" and alarm.usual == 800
    # Without history only the shares can be judged (a first run); too few articles, nothing.
    assert judge(_health(), [], set()) == []
    few = _health(fallback=1.0)
    few.articles = 2
    assert judge(few, history, {"div.a"}) == []
