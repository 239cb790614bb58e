"""The baseline of benchmark (a): a bare Flask app answering GET pendency with a payload of the same size.

It holds a captured pendency answer (BARE_PAYLOAD, a JSON file) and, per request, copies it as
dicts and encodes it with jsonify: the work any Flask app does to answer that page, minus the
simulator (token, store, timers, journal). Run by scale.py under the same gunicorn settings.
"""
from __future__ import annotations

import copy
import json
import os

from flask import Flask, jsonify, request

_PAYLOAD = json.loads(open(os.environ["BARE_PAYLOAD"]).read())
app = Flask(__name__)
app.json.sort_keys = False


@app.get("/ds/orders/pendency")
def pendency():
    return jsonify(copy.deepcopy(_PAYLOAD))


# benchmarks/fulfil.py: the four calls of a Dropship fulfilment, each parsing its JSON body and answering
# a small JSON document of the shape the simulator answers (what any Flask app does for them).
@app.post("/ds/orders")
def acknowledge():
    body = request.get_json()
    return jsonify({"status": "SUCCESS", "result": {"success": [body["order_id"]], "failed_items": []}})


@app.post("/ds/orders/<order_id>/invoice")
def invoice(order_id: str):
    request.get_json()
    return jsonify({"order_id": order_id, "invoice_number": "INV2627000001", "invoice_date": 1796395043,
                    "invoice_pdf_url": f"http://127.0.0.1/documents/DOC-{order_id}", "po_number": "PO0000001"})


@app.post("/ds/orders/<order_id>/label")
def label(order_id: str):
    request.get_json()
    return jsonify({"order_id": order_id, "tracking_number": "AWB0000001", "carrier": "Delhivery",
                    "label_pdf_url": f"http://127.0.0.1/documents/L-{order_id}",
                    "b2c_invoice_pdf_url": f"http://127.0.0.1/documents/B-{order_id}",
                    "b2c_invoice_number": "B2C0000001", "invoice_number": "INV2627000001"})


@app.post("/ds/orders/dispatch")
def dispatch():
    body = request.get_json()
    return jsonify({"status": "SUCCESS", "manifest_id": "MAN0000001", "manifestUrl": "http://127.0.0.1/documents/M",
                    "failedDispatchItems": [], "items": len(body["dispatchItems"])})
