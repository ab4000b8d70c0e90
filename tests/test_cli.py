"""The govarc command line: documented commands, extract as JSON, registry listing."""

from __future__ import annotations

import json

from click.testing import CliRunner

from crawler.cli import cli
from tests.conftest import govarc
from tests.extract_pages import trs_page


def test_every_command_has_help_text():
    runner = CliRunner()
    for name, command in cli.commands.items():
        assert command.help, name
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert " ".join(command.help.split()[:3]) in " ".join(result.output.split())


def test_extract_prints_json_with_the_article_fields(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(trs_page().encode("utf-8"))
    result = govarc("extract", str(page), "--url",
                    "https://www.yn.gov.cn/ywdt/zsdt/202110/t20211025_229601.html")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"title", "published_at", "source", "author", "text"} <= data.keys()
    assert data["text"] and data["published_at"].endswith("+08:00")


def test_extract_of_a_binary_file_is_one_line_and_nonzero(tmp_path):
    blob = tmp_path / "x.html"
    blob.write_bytes(bytes(range(256)) * 8)
    result = govarc("extract", str(blob))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_portals_lists_the_registry():
    result = CliRunner().invoke(cli, ["portals"])
    assert result.exit_code == 0
    assert "云南省人民政府" in result.output and "州市动态" in result.output
    assert sum(1 for line in result.output.splitlines() if not line.startswith(" ")) == 32


def test_distributed_commands_name_the_extra_when_redis_is_not_installed(tmp_path):
    """Redis's client libraries are an extra: without them the demo and one-machine crawls
    work, and the commands that need them say how to get them."""
    import subprocess
    import sys

    from tests.conftest import REPO

    without_redis = ("import sys; sys.modules['redis'] = None; sys.modules['scrapy_redis'] = None\n"
                     "from crawler.cli import main; main()")
    for args in (["worker", "--redis", "redis://127.0.0.1:1/0", "--wait", "1"],
                 ["crawl", "--redis", "redis://127.0.0.1:1/0", "--db", str(tmp_path / "a.db"),
                  "--warc-dir", str(tmp_path / "warc"), "sample-yn"]):
        result = subprocess.run([sys.executable, "-c", without_redis, *args], cwd=REPO,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().splitlines() == [
            "govarc: distributed runs need Redis's client libraries (redis is not installed): "
            "pip install 'govarc[distributed]'"], result.stderr


def test_a_reactor_the_pipeline_cannot_run_on_is_refused_before_anything_is_fetched(
        mini, tmp_path):
    """The pipeline awaits asyncio futures: under another Twisted reactor every article
    would be lost while the run said ok. The crawl refuses it in one line instead."""
    registry = mini.registry(tmp_path / "mini.toml")
    result = govarc("crawl", "--portal-file", str(registry), "--db", str(tmp_path / "a.db"),
                    "--warc-dir", str(tmp_path / "warc"), "-s",
                    "TWISTED_REACTOR=twisted.internet.epollreactor.EPollReactor")
    assert result.returncode == 2, result.stderr
    assert "TWISTED_REACTOR" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not mini.paths  # nothing fetched
