"""The twenty-sixth blind VMS hunt: three bugs of a seller's VMS integration layer, each a small subclass of the
reference layer (examples/reference_connector/vms_connector.py) or its client, registered in buggy.py."""
from __future__ import annotations

from ajio_client import AjioClient
from vms_connector import VmsConnector, zoned


class CreditNoteDatedAtReturn(VmsConnector):
    """RMS's credit note (model 2, credit-note model) is dated at the return's own date, the moment AJIO raised the
    return expectation, not at the moment the credit note is issued after QC: "the credit note is for that return"
    (VMS-DOCUMENT-DATE: a credit note's ackDate is not before the return's processing)."""

    def credit_note(self, ret: dict, mine: dict) -> None:
        self.return_date = ret.get("return_date")
        try:
            super().credit_note(ret, mine)
        finally:
            self.return_date = None

    def document_date(self) -> str:
        return_date = getattr(self, "return_date", None)
        return zoned(return_date) if return_date is not None else super().document_date()


class CreditNotesInModel1(VmsConnector):
    """The layer posts the credit note of every processed return in the credit-note model, whatever the e-invoice
    model: in model 1 that is the ERP's document, and the return gets a second credit note
    (VMS-CREDIT-NOTE-MODEL: the ERP, or RMS in model 2, posts one credit note per return)."""

    def credit_note(self, ret: dict, mine: dict) -> None:
        model, self.einvoice_model = self.einvoice_model, "rms"
        try:
            super().credit_note(ret, mine)
        finally:
            self.einvoice_model = model


class CustomerReturnsClient(AjioClient):
    """Lists return expectations with returnType=CUSTOMER_RETURN: "the returns are what customers send back"."""

    def pages(self, path: str, key: str, **params):
        if path == "/returns":
            params.setdefault("returnType", "CUSTOMER_RETURN")
        return super().pages(path, key, **params)


class ReturnsCustomerOnly(VmsConnector):
    """Reads only customer returns from GET /returns (a returnType filter): an RTO expectation, AJIO's own or the one
    it generated after the layer's request, is never seen, so the RTO parcel is never QC'd and the warehouse's RTO
    log keeps asking AJIO for an expectation that exists (VMS-RTO-REQUEST, VMS-QC-PASS-FAIL)."""

    client_class = CustomerReturnsClient
