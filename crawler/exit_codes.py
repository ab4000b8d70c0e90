"""The exit codes of `govarc` commands, and which error gives which.

Kept apart from the crawl runner so that a failing read-only command (search, verify,
export) reports its error without importing Scrapy.
"""

from __future__ import annotations

from archive.errors import GovarcError, StorageError

EXIT_OK = 0  # every page archived; a read-only command found nothing wrong
EXIT_PARTIAL = 1  # the crawl finished, some pages failed; verify found problems
EXIT_CONFIG = 2  # configuration or usage error: unknown portal, bad option, no such archive
EXIT_LOCKED = 3  # another crawl holds the archive; nothing was done
EXIT_STOPPED = 4  # the crawl was interrupted (signal, shutdown) before it finished
EXIT_STORAGE = 5  # the archive's disk is full, read-only or failing; the crawl stopped
EXIT_ALARM = 6  # the crawl finished, but a section's extraction raised an alarm (a redesign?)


def exit_code_for(exc: GovarcError) -> int:
    """The exit code a command ends with when `exc` stops it."""
    from archive.lock import LockedError

    if isinstance(exc, LockedError):
        return EXIT_LOCKED
    if isinstance(exc, StorageError):
        return EXIT_STORAGE
    return EXIT_CONFIG
