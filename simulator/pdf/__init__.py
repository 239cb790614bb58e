"""Printable PDFs for AJIO documents (invoices, labels, manifests, credit notes, purchase orders, JIT and VMS kinds)."""

from __future__ import annotations

from typing import Callable

from .invoices import render_b2b_invoice, render_b2c_invoice, render_credit_note, render_purchase_order
from .jit import render_jit_b2b_invoice, render_jit_box_label, render_jit_manifest
from .label import render_label
from .lite import render_lite
from .manifest import render_manifest
from .rsi import render_rsi

KINDS: tuple[str, ...] = ("b2b_invoice", "b2c_invoice", "label", "manifest", "credit_note", "purchase_order",
                          "jit_b2b_invoice", "jit_box_label", "jit_manifest", "rsi")

_RENDERERS: dict[str, Callable[[dict], bytes]] = {
    "b2b_invoice": render_b2b_invoice,
    "b2c_invoice": render_b2c_invoice,
    "label": render_label,
    "manifest": render_manifest,
    "credit_note": render_credit_note,
    "purchase_order": render_purchase_order,
    "jit_b2b_invoice": render_jit_b2b_invoice,
    "jit_box_label": render_jit_box_label,
    "jit_manifest": render_jit_manifest,
    "rsi": render_rsi,
}


def render_pdf(kind: str, payload: dict, *, lite: bool = False) -> bytes:
    """Render one document as PDF bytes; the same payload always gives the same bytes. `lite`: its fields as
    plain lines of text (simulator/pdf/lite.py), for runs that fetch documents by the thousand."""
    renderer = _RENDERERS.get(kind)
    if renderer is None:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {', '.join(KINDS)}")
    return render_lite(kind, payload) if lite else renderer(payload)


__all__ = ["KINDS", "render_pdf"]
