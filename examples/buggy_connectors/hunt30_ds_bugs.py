"""Blind bug hunt 30 (Dropship): six bugs designed from the rulebook before reading the catalogue.

Each class is the reference connector with one planted bug, the diff against the reference being the bug.
"""
from __future__ import annotations

from ajio_client import PAGE_SIZE, AjioClient
from connector import AjioError, Connector


class OpenQtyIgnoresSellerCancel(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK. The order mapper computes a line's open quantity itself as ordered minus what the
    customer cancelled, forgetting the units the seller cancelled at acknowledgement (or short-picked): AJIO adds
    `seller_cancelled_qty` beside `customer_cancelled_qty`. An order acknowledged short (2 of 3 confirmed, the
    warehouse holding 2) then looks as needing 3: the next sync takes its stock for lost and seller-cancels the
    whole order it could ship."""

    def read_orders(self, order_ids: list[str]) -> dict[str, dict]:
        out = super().read_orders(order_ids)
        for order in out.values():
            for line in order.get("order_lines", ()):
                if "ordered_quantity" in line:
                    line["quantity"] = line["ordered_quantity"] - (line.get("customer_cancelled_qty") or 0)
        return out


class RelogsInOnResetClient(AjioClient):
    def may_retry(self, method, failure, attempt: int, limit: int) -> bool:
        if isinstance(failure, Exception) and attempt < limit:
            self.token = None  # "the session broke": the retry logs in first
        return super().may_retry(method, failure, attempt, limit)


class RelogsInOnReset(Connector):
    """AUTH-LOGIN-SPARINGLY. A reset connection, a cut or garbled body is taken for a broken session: the client
    drops its (valid) token, and every retry of a transport failure starts with a new login."""

    client_class = RelogsInOnResetClient


class LabelDocumentsOwedOnFailureOnly(Connector):
    """DS-LABEL-DOCUMENTS-FETCHED. The label's PDFs (label, B2C invoice) are downloaded at once and noted as owed
    only when a download fails: a crash (kill) during the download leaves the order packed, saved with no
    document owed, and the next run manifests it without its label or B2C invoice, never fetching them."""

    def owe_documents(self, mine: dict, *documents: tuple[str, str]) -> None:
        if not any(kind == "label" for _, kind in documents):
            super().owe_documents(mine, *documents)
            return
        for i, (url, kind) in enumerate(documents):
            try:
                self.keep_document(url, kind)
            except AjioError:
                mine.setdefault("documents_owed", []).extend([u, k] for u, k in documents[i:])
                raise


class ManifestsOwnLabelsOnly(Connector):
    """DS-MANIFEST-FETCHED. The manifest closes this run's packing session: it carries the orders this process
    labelled (and a lost manifest's shipments sent again), not every packed order. An order labelled in a sync
    whose manifest failed (AJIO down, throttled, a crash between label and manifest, its label PDF owed) is never
    manifested."""

    def label(self, order_id: str, mine: dict) -> None:
        super().label(order_id, mine)
        self.__dict__.setdefault("labelled_now", set()).add(order_id)

    def manifest_carrier(self, packed: list[str]) -> None:
        session = self.__dict__.get("labelled_now", set()) | set(self.state.meta.get("manifest_in_flight", ()))
        mine = [order_id for order_id in packed if order_id in session]
        if mine:
            super().manifest_carrier(mine)


class ExpectationsFromCurrentRead(Connector):
    """DS-RTO-CREATE-ONLY-UNEXPECTED. A parcel the warehouse booked as unexpected is matched against the return
    expectations of this sync's read only, not those held from earlier reads: once its expectation leaves the
    returns window (a newer return, the old one closed) or a lagging page leaves it out, the connector creates an
    RTO for a parcel AJIO already expected."""

    def orders_with_expectation(self, listed: set[str]) -> set[str]:
        return set(listed)


class PagesCountedToTotalClient(AjioClient):
    def pages(self, path: str, key: str, **params):
        page, fetched = 0, 0
        while True:
            answer = self.get(path, **params, page=page, size=PAGE_SIZE)
            items = answer[key]
            yield from items
            fetched += len(items)
            if not items or fetched >= answer["page"]["totalElements"]:
                return
            page += 1


class PagesCountedToTotal(Connector):
    """API-PAGING. Lists are paged until the items received reach `page.totalElements` (`while fetched < total`),
    not until `page.totalPages`: an order AJIO lists twice on a page makes the count reach the total one page
    early, and the last page (its orders) is never read; a page one short reads a page past the last."""

    client_class = PagesCountedToTotalClient
