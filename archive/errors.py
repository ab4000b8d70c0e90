"""Exceptions raised by the archive library; the CLI turns them into one-line messages."""

from __future__ import annotations


class GovarcError(Exception):
    """Base class for every error govarc reports to its user."""


class ConfigError(GovarcError):
    """A registry or setting is malformed; the message names the entry and what to fix."""


class ExtractionError(GovarcError):
    """A page could not be turned into an article; the message says why."""


class WarcError(GovarcError):
    """A WARC file or record could not be written or read back."""


class StoreError(GovarcError):
    """The SQLite archive could not be opened or written."""


class MissingArchive(StoreError):
    """The database a read-only command was given does not exist or is not an archive."""


class StorageError(GovarcError):
    """The archive's disk cannot take more: full, read-only, or failing. Nothing more is
    written; what was committed before stays consistent, and the next run repairs."""


class DatabaseLocked(StorageError):
    """Another program has held the archive database's write lock for too long."""


class TokenizerError(GovarcError):
    """The Chinese full-text tokenizer could not be registered on a connection."""


class NotAnArticle(ExtractionError):
    """The page was read, but it is a list, home, error or challenge page, not an article."""
