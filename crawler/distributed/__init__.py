"""Several crawl workers sharing one frontier in Redis (scrapy-redis), one archive writer.

`govarc crawl --redis URL` is the coordinator: it holds the archive lock, opens the run,
publishes what the workers need (registry, archive state) under a per-run key prefix,
applies the store operations the workers send, and decides when the run is over.
`govarc worker --redis URL` runs PortalSpider with the scrapy-redis scheduler and
duplicate filter; its WARC files are its own, its database writes go to the coordinator.

Modules: `keys` (key names, connection), `queue` (leasing priority queue, Lua scripts),
`ops` (the store proxy of a worker, the op applier of the coordinator), `worker`,
`coordinator`.
"""
