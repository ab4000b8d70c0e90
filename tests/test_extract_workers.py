"""How many extraction processes a crawl starts by default (GOVARC_EXTRACT_WORKERS=auto)."""

from __future__ import annotations

import pytest

from crawler.pipelines import auto_workers


@pytest.mark.parametrize(("cpus", "workers"), [(1, 1), (2, 2), (3, 2), (4, 3), (8, 7)])
def test_one_cpu_stays_with_the_reactor_but_two_cpus_get_two_workers(cpus, workers):
    assert auto_workers(cpus) == workers
