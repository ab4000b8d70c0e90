"""Inline style sheets and scripts of the templates, read from package data."""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def asset(name: str) -> str:
    """The text of `data/<name>` (a style sheet or script), without its final newline."""
    return resources.files(__package__).joinpath("data").joinpath(name).read_text("utf-8").rstrip()


def stat_script(site_code: str, name: str, host: str) -> str:
    """The visit-statistics script of a TRS or Hanweb portal (`window._<name>Collect`)."""
    return (asset("stat.js").replace("@SITE@", site_code).replace("@NAME@", name)
            .replace("@HOST@", host))
