"""The fault-injecting portal sample-faults, for tests: `FaultServer` serves it on loopback;
`build_fault_site()` says what it serves and what a correct crawler ends up with."""

from .bodies import make_bomb
from .server import FaultServer
from .site import (
           DEFAULT_CLIENT_TIMEOUT,
           FAULT_KINDS,
           FAULTS,
           FaultSite,
           FaultSpec,
           build_fault_site,
)

__all__ = ["DEFAULT_CLIENT_TIMEOUT", "FAULTS", "FAULT_KINDS", "FaultServer", "FaultSite",
           "FaultSpec", "build_fault_site", "make_bomb"]
