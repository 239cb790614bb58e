"""The twenty-seventh blind JIT hunt: six bugs of a JIT connector, each the reference with one planted mistake
about a rule (designed before reading any scenario).

Each class overrides the one method (or hook) the bug lives in; the diff against the reference is the bug.
"""
from __future__ import annotations

import uuid

from ajio_client import AjioClient, AjioError
from jit_connector import JitConnector


# -- 1. paging: a page that fails after the first one is taken as the list's end (API-PAGING, JIT-RETURNS-CONFIRMED)
class PagesEndAtFailedPage(AjioClient):
    def pages(self, path, key, **params):
        """"Read what we can": a later page that fails (AJIO down past the retries) ends the list as if it were the
        last one, instead of failing the read. The returns pull then moves its window past returns it never read."""
        read = 0
        try:
            for item in super().pages(path, key, **params):
                read += 1
                yield item
        except AjioError:
            if not read:
                raise
            return


class FailedPageEndsList(JitConnector):
    client_class = PagesEndAtFailedPage


# -- 2. clock edge, 1 January: the reconciliation's day compared without its year (JIT-INVENTORY-RECONCILE)
class ReconStampWithoutYear(JitConnector):
    def reconcile_inventory(self) -> None:
        """A guard against a clock stepping back (NTP) compares today's month and day with the last
        reconciliation's, leaving the year out: from 1 January on, "01-01" is never after "12-31", so no
        reconciliation runs again until the calendar passes last year's date."""
        last = self.state.extra.get("reconciled")
        if last and self.today()[5:] <= last[5:]:
            return
        super().reconcile_inventory()


# -- 3. faults: a fresh Idempotency-Key on every attempt of a call (API-IDEMPOTENT-REPEAT)
class _KeyPerAttempt(AjioClient):
    def headers_of_call(self, headers, auth):
        """A generic HTTP wrapper stamps its own request id on the key at every attempt: a cancellation whose answer
        was lost (5xx after AJIO applied it, a reset) is retried under a new key, and the delta is cancelled twice."""
        build = super().headers_of_call(headers, auth)

        def each_attempt() -> dict:
            sent = build()
            if "Idempotency-Key" in sent:
                sent["Idempotency-Key"] = f"{sent['Idempotency-Key']}-{uuid.uuid4().hex[:8]}"
            return sent
        return each_attempt


class CancelKeyPerAttempt(JitConnector):
    client_class = _KeyPerAttempt


# -- 4. prepack: every prefetched box packed, even one a pick shortfall left empty (JIT-PACK-MATCHES-INVOICE)
class PacksEveryPrefetchedBox(JitConnector):
    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        """At pack, the LPNs labelled at picklist time are all packed: a box the pick shortfall emptied is sent with
        no items (AJIO refuses an empty box, at every sync), instead of being left to go VOID."""
        plan = super().boxes(po_id, lines)
        labelled = self.state.orders.get(po_id, {}).get("labels") or {}
        planned = {box["box_id"] for box in plan}
        for box_id in labelled:
            if box_id not in planned:
                plan.append({"box_id": box_id, "seal_id": f"SL{po_id}{box_id[-2:]}", "items": []})
        return plan


# -- 5. documents: a manifest whose PDF failed is sent again (API-CHANGE-SENT-ONCE)
class ResendUntilManifestPdf:
    """A mixin for any model's connector (the Dropship form: ds_gap_bugs.ManifestResentUntilPdf)."""

    def owe_manifest(self, answer: dict, orders: list[str]) -> None:
        """"Manifested" is taken to mean "manifest PDF in hand": when the PDF's download fails, the shipments go
        back to packed and the next sync sends the dispatch AJIO already answered with success again."""
        try:
            super().owe_manifest(answer, orders)
        except AjioError:
            for order_id in orders:
                self.state.orders[order_id]["stage"] = "packed"
            self.state.orders[orders[0]].pop("documents_owed", None)
            raise


class ManifestResentUntilPdf(ResendUntilManifestPdf, JitConnector):
    pass


# -- 6. logins: a login before every document download (AUTH-LOGIN-SPARINGLY)
class _LoginPerDocument(AjioClient):
    def document(self, url: str) -> bytes:
        """Document URLs are absolute (another host, the connector thinks: another session): a fresh token is fetched
        before each PDF, though the one held is valid."""
        self.login()
        return super().document(url)


class LoginPerDocument(JitConnector):
    client_class = _LoginPerDocument
