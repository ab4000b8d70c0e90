"""What every `govarc` command shares: the command group, its error handling, the
database and WARC folder options."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from archive.errors import GovarcError

DEFAULT_DB = Path("data/archive.db")
DEFAULT_WARC_DIR = Path("data/warc")


def fail(exc: GovarcError) -> NoReturn:
    """One line on stderr, and the exit code of this kind of error."""
    from crawler.exit_codes import exit_code_for

    click.echo(f"govarc: {exc}", err=True)
    sys.exit(exit_code_for(exc))


class _Govarc(click.Group):
    """The command group: any GovarcError a command raises is one line on stderr and the
    exit code of its kind (crawler/exit_codes.py), in this one place."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except GovarcError as exc:
            fail(exc)


@click.group(cls=_Govarc, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govarc")
def cli() -> None:
    """Archive the news of Chinese government portals into WARC files and a searchable
    SQLite database."""


def db_option(func):
    return click.option("--db", type=click.Path(path_type=Path), default=DEFAULT_DB,
                        show_default=True, help="SQLite archive database.")(func)


def warc_dir_option(func):
    return click.option("--warc-dir", type=click.Path(path_type=Path), default=DEFAULT_WARC_DIR,
                        show_default=True, help="Folder of WARC files.")(func)


def lexicon_option(func):
    return click.option(
        "--lexicon", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        envvar="GOVARC_TAMPER_LEXICON",
        help="A TOML file merged over the bundled tamper lexicon (or the environment "
             "variable GOVARC_TAMPER_LEXICON).")(func)


def storage_options(func):
    return db_option(warc_dir_option(func))
