"""Dropship bugs for classes a blind hunt found in another model: the reference Dropship connector with ONE planted
mistake each, tried on the Dropship catalogue. buggy.py lists them by name; each fails the scenario written for it
(tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from connector import Connector
from hunt27_jit_bugs import ResendUntilManifestPdf


class ManifestResentUntilPdf(ResendUntilManifestPdf, Connector):
    """API-CHANGE-SENT-ONCE: "manifested" is taken to mean "manifest PDF in hand" (the JIT form is
    jit_h27_manifest_resent_until_pdf): when the PDF's download fails past the retries, the shipments go back to
    packed and the next sync sends the manifest AJIO already answered with success again."""
