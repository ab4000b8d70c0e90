"""The portal registry: the bundled one is complete and valid; bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.errors import ConfigError
from crawler.registry import load_registry, select


def test_bundled_registry_names_all_provincial_portals_and_gov_cn():
    registry = load_registry()
    assert len(registry) == 32
    assert "gov" in registry and "yn" in registry
    yn = registry["yn"]
    assert yn.name == "云南省人民政府" and yn.cms == "trs"
    assert "州市动态" in [s.name for s in yn.sections]
    for portal in registry.values():
        assert portal.sections, portal.id
        for section in portal.sections:
            assert portal.owns(section.url), section.url
            assert section.provenance, (portal.id, section.id)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "portals.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
[[portal]]
id = "t"
name = "测试省人民政府"
domain = "127.0.0.1:8000"
cms = "trs"
  [[portal.section]]
  id = "zsdt"
  name = "州市动态"
  url = "http://127.0.0.1:8000/ywdt/zsdt/"
"""


def test_unknown_portal_is_a_config_error_naming_it(tmp_path):
    registry = load_registry(write(tmp_path, GOOD))
    with pytest.raises(ConfigError, match="'nosuchportal'"):
        select(registry, ["nosuchportal"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[portal]\nid=", "not valid TOML"),
        ("title = 'x'", "no \\[\\[portal\\]\\] entries"),
        (GOOD.replace('cms = "trs"', 'cms = "wordpress"'), "portal 't'.*'cms' must be one of"),
        (GOOD.replace("http://127.0.0.1:8000/ywdt", "http://evil.example/ywdt"),
         "section 'zsdt'.*off the portal's domain"),
        (GOOD.replace('name = "测试省人民政府"\n', ""), "portal 't'.*'name'"),
        (GOOD + GOOD, "portal id 't' appears twice"),
        (GOOD.replace('url = "http://127.0.0.1:8000/ywdt/zsdt/"', 'url = "/ywdt/zsdt/"'),
         "absolute http"),
    ],
)
def test_malformed_registry_errors_name_the_entry(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_registry(write(tmp_path, text))


def test_missing_registry_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_registry(tmp_path / "nope.toml")
