"""Four flows driven with nothing but the clients openapi-python-client generates from the two documents.

`ajio_client` comes from /openapi.json, `sim_client` from /_sim/openapi.json (generated at test time,
never committed). tests/e2e/test_generated_clients.py type-checks this file with mypy --strict and runs
it against a real `ajio-sim serve`: a Dropship order to its manifest (and its invoice PDF), a JIT PO to
dispatch, a VMS order to manifest, and an ERP-layer B2B invoice posting. Usage: drive_generated.py URL
"""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from ajio_client import AuthenticatedClient, Client
from ajio_client.api.auth import auth_token_ds, auth_token_jit, auth_token_vms
from ajio_client.api.documents import get_document
from ajio_client.api.ds_fulfilment import dispatch_orders, generate_invoice, generate_label
from ajio_client.api.ds_orders import acknowledge_order, get_pendency
from ajio_client.api.erp_layer import erp_post_b2b_invoice
from ajio_client.api.jit_fulfilment import jit_dispatch_orders, jit_generate_invoice, jit_pack
from ajio_client.api.jit_orders import jit_get_pendency
from ajio_client.api.vms_fulfilment import vms_create_manifest, vms_get_documents, vms_post_b2b_invoice
from ajio_client.api.vms_orders import vms_acknowledge_order, vms_get_po, vms_list_orders
from ajio_client.models import (
    AuthTokenRequest,
    AuthTokenResponse,
    B2BInvoicePosting,
    DispatchItem,
    DispatchRequest,
    DispatchResponse,
    ErpB2BInvoiceAccepted,
    InvoiceRequest,
    InvoiceResponse,
    JitBox,
    JitBoxItem,
    JitDispatchAnswer,
    JitDispatchItem,
    JitDispatchRequest,
    JitInvoiceAnswer,
    JitInvoiceRequest,
    JitOrdersAnswer,
    JitPackAnswer,
    JitPackRequest,
    LabelRequest,
    LabelResponse,
    OrderActionRequest,
    OrderActionRequestStatus,
    OrderActionResponse,
    PendencyResponse,
    VmsAcknowledgeResponse,
    VmsB2BInvoiceResponse,
    VmsDocumentsResponse,
    VmsEmptyRequest,
    VmsManifestRequest,
    VmsManifestResponse,
    VmsOrdersResponse,
    VmsPoResponse,
)
from ajio_client.types import File
from sim_client import Client as SimClient
from sim_client.api.clock import advance_clock, get_clock
from sim_client.api.orders import create_orders
from sim_client.api.sellers import create_seller
from sim_client.models import (
    ClockAdvanceRequest,
    ClockChanged,
    ClockState,
    CreateOrdersRequest,
    CreateSellerRequest,
    CreateSellerRequestModel,
    NewOrders,
    Seller,
)

T = TypeVar("T")
IST = timezone(timedelta(hours=5, minutes=30))
PO_LAG = 1800  # `ajio-sim serve` default: the PO follows the acknowledgement after 30 simulated minutes


def expect(answer: object, kind: type[T], what: str) -> T:
    """The answer as the type a success has; anything else (an ErrorBody, None) stops the run."""
    if not isinstance(answer, kind):
        raise SystemExit(f"{what}: expected {kind.__name__}, got {answer!r}")
    return answer


class World:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.sim = SimClient(base_url=base_url)

    def seller(self, model: CreateSellerRequestModel) -> Seller:
        return expect(create_seller.sync(client=self.sim, body=CreateSellerRequest(model=model)), Seller, "seller")

    def orders(self, seller: Seller, count: int = 1) -> list[str]:
        body = CreateOrdersRequest(pob_id=seller.pob_id, count=count, seed=26)
        return expect(create_orders.sync(client=self.sim, body=body), NewOrders, "orders").order_ids

    def advance(self, seconds: int) -> int:
        body = ClockAdvanceRequest(seconds=seconds)
        return expect(advance_clock.sync(client=self.sim, body=body), ClockChanged, "clock").now

    def now(self) -> int:
        return expect(get_clock.sync(client=self.sim), ClockState, "clock").now

    def login(self, seller: Seller, model: str) -> AuthenticatedClient:
        """The three-line setup: log in, then send the accessToken as the `apiKey` header (no prefix)."""
        login = {"ds": auth_token_ds, "jit": auth_token_jit, "vms": auth_token_vms}[model]
        body = AuthTokenRequest(username=seller.pob_id, password=seller.password)
        token = expect(login.sync(client=Client(base_url=self.base_url), body=body), AuthTokenResponse, "login")
        return AuthenticatedClient(base_url=self.base_url, token=token.result.access_token,
                                   auth_header_name="apiKey", prefix="")

    def erp(self, seller: Seller) -> AuthenticatedClient:
        """The ERP layer's two headers: authPassword as the client's token header, authUsername beside it."""
        return AuthenticatedClient(base_url=self.base_url, token=seller.password, auth_header_name="authPassword",
                                   prefix="", headers={"authUsername": seller.pob_id})


def dropship(w: World) -> str:
    seller = w.seller(CreateSellerRequestModel.DS)
    [order_id] = w.orders(seller)
    ds = w.login(seller, "ds")
    pending = expect(get_pendency.sync(client=ds), PendencyResponse, "pendency")
    assert [o.order_id for o in pending.orders] == [order_id], pending
    ack = OrderActionRequest(order_id=order_id, status=OrderActionRequestStatus.ACKNOWLEDGE)
    expect(acknowledge_order.sync(client=ds, body=ack), OrderActionResponse, "acknowledge")
    w.advance(PO_LAG)
    ds = w.login(seller, "ds")  # the wait outlived the 30-minute token
    invoice = expect(generate_invoice.sync(order_id, client=ds, body=InvoiceRequest()), InvoiceResponse, "invoice")
    parcel = LabelRequest(weight_grams=450, length_cm=30, breadth_cm=22, height_cm=4)
    label = expect(generate_label.sync(order_id, client=ds, body=parcel), LabelResponse, "label")
    item = DispatchItem(master_awb=label.tracking_number, order_id=order_id, invoice_no=invoice.invoice_number)
    manifest = expect(dispatch_orders.sync(client=ds, body=DispatchRequest(dispatch_items=[item])),
                      DispatchResponse, "dispatch")
    assert manifest.failed_dispatch_items == [], manifest
    pdf = expect(get_document.sync(invoice.invoice_pdf_url.rsplit("/", 1)[-1], client=ds), File, "invoice PDF")
    assert pdf.payload.read(5) == b"%PDF-", "GET /documents/{id} is a PDF"
    return f"ds {order_id}: invoice {invoice.invoice_number}, AWB {label.tracking_number}, {manifest.manifest_id}"


def jit(w: World) -> str:
    seller = w.seller(CreateSellerRequestModel.JIT)
    [po_number] = w.orders(seller)
    client = w.login(seller, "jit")
    pending = expect(jit_get_pendency.sync(client=client), JitOrdersAnswer, "JIT pendency")
    assert [o.order_id for o in pending.orders] == [po_number], pending
    invoice = expect(jit_generate_invoice.sync(po_number, client=client, body=JitInvoiceRequest()),
                     JitInvoiceAnswer, "JIT invoice")
    box = JitBox(box_id=f"LPN-{po_number}", seal_id=f"SEAL-{po_number}",
                 items=[JitBoxItem(order_item_id=line.order_item_id, quantity=line.quantity)
                        for line in invoice.invoice_lines])
    packed = expect(jit_pack.sync(po_number, client=client, body=JitPackRequest(boxes=[box])), JitPackAnswer, "pack")
    item = JitDispatchItem(master_awb=packed.master_awb, order_id=po_number, invoice_no=invoice.invoice_number)
    manifest = expect(jit_dispatch_orders.sync(client=client, body=JitDispatchRequest(dispatch_items=[item])),
                      JitDispatchAnswer, "JIT dispatch")
    return f"jit {po_number}: invoice {invoice.invoice_number}, master AWB {packed.master_awb}, {manifest.manifest_id}"


def _posting(w: World, po: VmsPoResponse, number: str) -> B2BInvoicePosting:
    return B2BInvoicePosting(invoice_number=number, invoice_date=datetime.fromtimestamp(w.now(), IST),
                             forward_purchase_order=po.forward_purchase_order, is_partial_invoice=False,
                             qr_code="eyJhbGciOiJSUzI1NiJ9.qr", irn_number=f"irn-{number}",
                             invoice_url=f"https://erp.example.in/invoices/{number}.pdf")


def vms_and_erp(w: World) -> list[str]:
    seller = w.seller(CreateSellerRequestModel.VMS)
    first, second = w.orders(seller, count=2)
    client = w.login(seller, "vms")
    listed = expect(vms_list_orders.sync(client=client, from_date=0, to_date=w.now() + 86400), VmsOrdersResponse,
                    "VMS orders")
    assert {o.order_id for o in listed.orders} == {first, second}, listed
    for order_id in (first, second):
        expect(vms_acknowledge_order.sync(order_id, client=client, body=VmsEmptyRequest()),
               VmsAcknowledgeResponse, "acknowledge")
    w.advance(PO_LAG)
    client = w.login(seller, "vms")
    po = expect(vms_get_po.sync(first, client=client), VmsPoResponse, "PO")
    invoice = expect(vms_post_b2b_invoice.sync(first, client=client, body=_posting(w, po, "INV-1")),
                     VmsB2BInvoiceResponse, "e-invoice")
    docs = expect(vms_get_documents.sync(first, client=client), VmsDocumentsResponse, "documents")
    manifest = expect(vms_create_manifest.sync(client=client, body=VmsManifestRequest(order_ids=[first])),
                      VmsManifestResponse, "manifest")
    po2 = expect(vms_get_po.sync(second, client=client), VmsPoResponse, "PO")
    posted = expect(erp_post_b2b_invoice.sync(client=w.erp(seller), body=_posting(w, po2, "INV-2")),
                    ErpB2BInvoiceAccepted, "ERP posting")
    return [f"vms {first}: e-invoice {invoice.invoice_number}, AWB {docs.tracking_number}, {manifest.manifest_id}",
            f"erp {posted.order_id}: {posted.message}, order {posted.order_status}"]


def main(base_url: str) -> int:
    w = World(base_url)
    for line in [dropship(w), jit(w), *vms_and_erp(w)]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
