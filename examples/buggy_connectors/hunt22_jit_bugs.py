"""Blind bug hunt 22, JIT: six bugs designed from the rulebook alone (before reading the catalogue).

Each is the reference JIT connector with one planted bug, a small override whose diff against the reference is the
bug; the rule it breaks is named in its docstring and in buggy.py's registration.
"""
from __future__ import annotations

import time

from ajio_client import TRANSIENT, AjioClient, AjioError, AjioUnreachable
from connector import log
from jit_connector import JitConnector


class NewSkuNotPushed(JitConnector):
    """JIT-INVENTORY-PUSH. The first SKU pull is the initial load and every SKU is pushed; a SKU approved later is
    taken as listed with the count the catalogue team uploaded: its current count is written into the push cache
    when it is first mapped, so it is never pushed until the warehouse's count moves (an integrator's shortcut: "new
    listings get their stock at listing time")."""

    def pull_skus(self) -> None:
        known = dict(self.state.extra.get("skus", {}))
        super().pull_skus()
        if not known:
            return
        for sku in self.state.extra["skus"].values():
            if sku not in known.values():
                self.state.inventory.setdefault(sku, self.warehouse.available(sku))


class DaemonThrottleHoldReset(JitConnector):
    """API-THROTTLE-RETRY-AFTER. Each sync of a daemon starts a new session: the hold a long Retry-After put on the
    client (longer than one sync waits) is forgotten at the next sync, whose calls go out before it has run."""

    def resume_throttle_hold(self) -> None:
        self.client.blocked_until = 0.0   # the bug: each sync a new session, neither memory nor state holding it


class FirstBoxLabelOnly(JitConnector):
    """JIT-MANIFEST-DOCUMENT. One label per PO (the Dropship habit: one parcel, one label): of the pack's boxes only
    the first box's label is downloaded and kept, the other boxes' labels never are."""

    def pack(self, po_id: str, mine: dict) -> None:
        packed = self.client.post(f"/orders/{po_id}/pack", {"boxes": self.boxes(po_id, mine["lines"])})
        for line in mine["lines"]:
            self.packed_now[line["sku"]] = self.packed_now.get(line["sku"], 0) + line["open"]
            if line["sku"] in self.state.inventory:
                self.state.inventory[line["sku"]] -= self.units_packed(po_id, line)
        mine.update(stage="packed", master_awb=self.master_awb(packed))
        log(f"packed PO {po_id}: {len(packed['boxes'])} box(es), AWB {mine['master_awb']}")
        first = packed["boxes"][:1]
        self.owe_documents(mine, *[(box["label_pdf_url"], "box label") for box in first
                                   if mine.get("labels", {}).get(box["box_id"]) != box["label_pdf_url"]])


class BareLoginClient(AjioClient):
    """The login is one plain POST outside the retries: a 429 or a 5xx on it is raised at once."""

    def login(self) -> None:
        url = f"{self.base_url}/{self.model}/authToken"
        try:
            r = self.http.request("POST", url, json={"username": self.username, "password": self.password}, timeout=60)
        except TRANSIENT as exc:
            raise AjioUnreachable("POST", url, exc) from exc
        if not r.ok:
            raise AjioError(r)
        self.token = r.json()["result"]["accessToken"]
        self.token_at = time.monotonic()
        self.logins += 1


class LoginNotRetried(JitConnector):
    """API-THROTTLE-RETRY-AFTER (and API-RETRY-TRANSIENT). The login is a bare POST outside the client's retries: a
    throttled (429) or failed (5xx) login is neither waited for nor retried; the phase that needed the token fails
    and the next phase logs in afresh."""

    client_class = BareLoginClient


class SingleShotDocumentClient(AjioClient):
    """PDFs are downloaded by a plain GET outside the retries (a "file downloader", not the API client)."""

    def document(self, url: str) -> bytes:
        if self.before_call is not None:
            self.before_call()
        try:
            r = self.http.request("GET", url, headers={"apiKey": self._token()}, timeout=60)
        except TRANSIENT as exc:
            raise AjioUnreachable("GET", url, exc) from exc
        if not r.ok:
            raise AjioError(r)
        return r.content


class DocumentsNotRetried(JitConnector):
    """API-RETRY-TRANSIENT. A document download (invoice, box label, manifest PDF) that fails in transit (5xx,
    reset) is not retried in the sync: the document stays owed until the next sync, and what waits on it (the pack of
    a PO whose invoice PDF is owed, the manifest of a PO whose label is owed) waits a sync too."""

    client_class = SingleShotDocumentClient


class OneSealPerPo(JitConnector):
    """JIT-BOX-IDS-UNIQUE. One seal per consignment: every box of a PO carries the PO's seal id (the seal is taken
    for the PO's, not the box's), so a PO of several boxes repeats its seal id."""

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        plan = super().boxes(po_id, lines)
        for box in plan:
            box["seal_id"] = f"SL{po_id}"
        return plan
