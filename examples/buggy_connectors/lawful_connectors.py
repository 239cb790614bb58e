"""Connectors that are NOT buggy: the reference with one choice the rules leave open made otherwise. buggy.py lists
them in LAWFUL; each must pass every scenario where its choice shows (tests/harness/test_lawful_connectors.py), or
the catalogue demands the reference's own choice and fails correct connectors.

Four retries: a call that fails in transit (a 5xx, a 429, a reset, an unreadable body) is tried five times in a sync
(the reference: four), the most the catalogue's bounds allow ("a bounded few tries a sync": at most 5 calls of one
item). Its first run over the fault scenarios failed five that bounded a sync's tries at the reference's own 4 (or 12
over three syncs); they allow 5 (15) now.

Not lawful for the catalogue, though the rules' words would allow it: leaving every announced wait to the next sync.
A connector whose client gives up on any 429, or any 5xx announcing a Retry-After, failed 18 of the 43 throttling
scenarios, which expect a wait of up to 30 s waited in the sync and the work done (docs/harness.md, "What the
catalogue expects of retries": not grounded).

Acknowledging on import: the orders read from the pendency are acknowledged in the same sync (the reference leaves
them to the next one, as a WMS allocating between two cycles would). Seed 000 sets no time for the acknowledgement
but its SLA, so either is lawful.
"""
from __future__ import annotations

from ajio_client import AjioClient
from connector import Connector
from jit_connector import JitConnector
from vms_connector import VmsConnector


class FourRetriesClient(AjioClient):
    RETRIES = 4
    TRANSPORT_RETRIES = 4


class FourRetries(Connector):
    client_class = FourRetriesClient


class FourRetriesJit(JitConnector):
    client_class = FourRetriesClient


class FourRetriesVms(VmsConnector):
    client_class = FourRetriesClient


class AcknowledgesOnImport(Connector):
    PHASES = ("push_inventory", "import_pendency", "acknowledge_imported", *Connector.PHASES[3:])

    def import_pendency(self) -> None:
        """An order imported is saved before the acknowledgement that follows at once (a noted change: save_changes):
        one killed right after AJIO took it is gone from the pendency, and only the state still knows it (its first
        run, saving reads at the end of a sync only as the reference does, lost such an order for good:
        ds/platform/daemon_killed_after_acknowledge)."""
        known = len(self.state.orders)
        super().import_pendency()
        if len(self.state.orders) != known:
            self.noted += 1
