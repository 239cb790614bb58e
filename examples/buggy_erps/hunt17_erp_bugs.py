"""ERP variants of the seventeenth blind VMS hunt: the reference ERP's Tenant with ONE change each. buggy_erp.py
lists them by name; each fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from erp import Tenant


class ParksAfterEightTries(Tenant):
    """ERP-RETRY-NON-200: the reference until hunt 17: a posting AJIO has not taken after 8 tries (0.25 s doubling
    to 4 s: about 16 real seconds) is parked for good, also across a restart: any /ajio-vms outage longer than
    that loses the e-invoice or credit note (seed 002: "Client has to retry that particular call")."""
    max_attempts = 8
