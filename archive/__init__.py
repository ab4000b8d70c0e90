"""govarc's library: WARC capture, extraction, SQLite storage and Chinese search.

Nothing in this package imports Scrapy; the crawler builds on it.
"""
