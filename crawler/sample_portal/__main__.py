"""`python -m crawler.sample_portal`: serve the sample portals until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from .server import SamplePortalServer


def main(argv: list[str] | None = None) -> int:
    """Start the servers, print one JSON line of base URLs, serve until told to stop."""
    parser = argparse.ArgumentParser(prog="python -m crawler.sample_portal",
                                     description="Serve the bundled sample portals on loopback.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--portal", action="append", metavar="ID",
                        help="serve only this portal (repeatable; default: all)")
    parser.add_argument("--port", action="append", default=[], metavar="ID=PORT",
                        help="serve this portal on this port if it is free (repeatable; "
                             "default: any free port)")
    parser.add_argument("--bad-documents", action="store_true",
                        help="sample-gov also links encrypted, corrupt, oversized and "
                             "zip-bomb attachments")
    args = parser.parse_args(argv)
    ports = {}
    for item in args.port:
        portal, _, port = item.partition("=")
        if not port.isdigit():
            parser.error(f"--port {item!r} is not ID=PORT")
        ports[portal] = int(port)
    stop = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    server = SamplePortalServer(host=args.host, portals=args.portal, ports=ports,
                                bad_documents=args.bad_documents).start()
    try:
        sys.stdout.write(json.dumps(server.base_urls) + "\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
