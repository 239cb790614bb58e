"""The baseline of benchmark (a): a bare Flask app answering GET pendency with a payload of the same size.

It holds a captured pendency answer (BARE_PAYLOAD, a JSON file) and, per request, copies it as
dicts and encodes it with jsonify: the work any Flask app does to answer that page, minus the
simulator (token, store, timers, journal). Run by scale.py under the same gunicorn settings.
"""
from __future__ import annotations

import copy
import json
import os

from flask import Flask, jsonify

_PAYLOAD = json.loads(open(os.environ["BARE_PAYLOAD"]).read())
app = Flask(__name__)
app.json.sort_keys = False


@app.get("/ds/orders/pendency")
def pendency():
    return jsonify(copy.deepcopy(_PAYLOAD))
