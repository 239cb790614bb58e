"""Running a VMS scenario: the sellers' ERPs, the postings pump, and the steps in which the harness plays
the VMS layer (for scenarios whose connector is not under test).

Mixed into harness.runner.ScenarioRun. Who plays what (docs/harness.md, "VMS: who is under test"):
the connector under test (--connector-*) or the harness's VMS steps play the VMS layer; the ERP under
test (--erp-cmd / --erp-url) or the harness's stand-in ERP (harness.standin_erp) plays the ERP of
every seller that has one (model 1 sellers by default; `erp: true|false` per seller).
"""
from __future__ import annotations

import json
import threading
import time
from typing import Any

from contracts import durations
from harness.connectors import Outcome
from harness.erp import ErpGateway, erp_env
from harness.killswitch import KillSwitch
from harness.model import ConnectorRun
from harness.standin_erp import StandInErp
from harness.vms import has_erp
from harness.world import StepFailed

PUMP_WAIT_S = 15.0  # at most this long for a shared server's background sender to finish a posting
# Real seconds an ERP under test has, after it accepted a posting, to make its first try of the document it owes
# (the e-invoice for an OUTWARD_ORDER_CREATE, model 1's credit note for a return order posting) before the
# scenario's next step goes on without it: an ERP may answer 200 and work later (docs/harness.md, "ERP time").
ERP_SETTLE_S = 5.0
SETTLED_STATUSES = ("CREATED", "ACKNOWLEDGED")  # an order still in one of these has no e-invoice yet


TOKEN_REFRESH_S = 25 * 60  # simulated seconds: a token lives 30 minutes (AUTH-TOKEN-30-MIN)


class VmsRun:
    """The VMS parts of a scenario run (self is a ScenarioRun)."""

    erp_session: Any = None
    erp_gateway: ErpGateway | None = None
    _vms_tokens: dict
    _owed: dict  # (document, order or return id) -> {"seller", "since"}: what an ERP under test owes AJIO

    # -- the ERPs --------------------------------------------------------------------------
    def _erp_provider(self):
        if self.erp_session is None:
            erp = getattr(self.options, "erp", None)
            self.erp_session = erp.open() if erp is not None else StandInErp()
        return self.erp_session

    def _vms_seller_settings(self, name: str, settings: dict) -> dict:
        """The seller's /_sim/sellers body: `erp` becomes the URL its ERP listens on (or none)."""
        settings = dict(settings)
        wants_erp = has_erp(settings)
        settings.pop("erp", None)
        if wants_erp:
            if self.erp_gateway is None:
                self._owed, self._owed_lock = {}, threading.Lock()
                self.erp_gateway = ErpGateway(observer=self._erp_took)
            settings["erp_url"] = self.erp_gateway.route(name, self._erp_provider().prepare(name))
        return settings

    def _vms_start_erp(self, name: str, settings: dict, pob: dict) -> None:
        if not has_erp(settings):
            return
        state = self.workdir / name / "erp"
        state.mkdir(parents=True, exist_ok=True)
        self._erp_provider().start(name, erp_env(self.base_url, pob, settings, state))

    def _vms_stop_erps(self) -> list[ConnectorRun]:
        if self.erp_gateway is not None:
            self.erp_gateway.close()
            self.erp_gateway = None
        if self.erp_session is None:
            return []
        kills: list[dict] = self.__dict__.get("_erp_kills", [])
        open_kills = {k["seller"]: k for k in kills if k["run"] is None}  # fired in the last step, or never
        for name, armed in open_kills.items():  # said in its output, as a killed connector's is
            self.erp_session.note(name, armed["switch"].note())
        outcomes: dict[str, Outcome] = self.erp_session.stop_all()
        self.erp_session = None
        runs = [k["run"] for k in kills if k["run"] is not None]
        for name, o in outcomes.items():
            if name not in self.pobs:
                continue
            armed = open_kills.get(name)
            runs.append(ConnectorRun(f"ERP under test of {name} (stopped at the end)", self.pobs[name]["pob_id"],
                                     o.exit_code, round(o.duration_s, 3), o.output_tail, daemon=True,
                                     kill=armed["switch"].note()[len("[harness] "):] if armed else None))
        return runs

    # -- erp: {kill_at}: the ERP command crashes at a chosen call -------------------------------
    def _arm_erp_kill(self, step, name: str, kill_at: dict) -> None:
        """The nth call of the seller's ERP (authUsername) matching method and path SIGKILLs its process group
        (harness/killswitch.py, the switch of run_connector's kill_at). It stays down (postings to it fail and are
        retried) until the scenario's next `erp: {restart: true}` for the seller (its supervisor's restart, state
        dir kept; the loader asks for one): the scenario sees AJIO as the crash left it, then the ERP's recovery."""
        provider = self._erp_provider()
        if not getattr(provider, "supports_kill", False):
            what = provider.describe() if hasattr(provider, "describe") else "the harness's stand-in ERP"
            raise StepFailed(f"erp kill_at (the ERP killed at a call) needs an ERP command the harness started "
                             f"(--erp-cmd); {what} runs outside its reach and cannot be killed")
        if self.server is None:
            raise StepFailed("erp kill_at needs the harness's own in-process server, which sees every call as it "
                             "comes; a shared server (--base-url) or a replay cannot hold a call")
        kills: list[dict] = self.__dict__.setdefault("_erp_kills", [])
        armed = next((k for k in kills if k["seller"] == name and k["switch"].fired is None), None)
        if armed is not None:
            raise StepFailed(f"an erp kill_at is already armed for {name} (at {armed['step']}); one at a time")
        switch = KillSwitch(method=kill_at["method"], path=kill_at["path"], nth=kill_at.get("nth", 1),
                            when=kill_at.get("when", "after"), body=kill_at.get("body"),
                            pob_id=self.pobs[name]["pob_id"], pgid=provider.pgid(name), target="ERP")
        kills.append({"seller": name, "switch": switch, "step": step.label, "run": None})
        self._arm(switch)

    def _restart_erp(self, name: str) -> None:
        """`erp: {restart: true}`; an ERP its kill_at killed is started again (state dir kept) and the killed process
        recorded as a run of its own, with where it was killed."""
        armed = next((k for k in self.__dict__.get("_erp_kills", []) if k["seller"] == name
                      and k["switch"].fired is not None and k["run"] is None), None)
        if armed is None:
            self._erp_provider().restart(name)
            self._erp_switch_follows(name)
            return
        switch = armed["switch"]
        self._disarm(switch)
        self.erp_session.note(name, switch.note())
        outcome = self.erp_session.restart(name)
        self.erp_session.note(name, "[harness] ERP restarted after its kill (kill_at), state dir kept")
        armed["run"] = ConnectorRun(f"ERP under test of {name} (killed: kill_at of {armed['step']})",
                                    self.pobs[name]["pob_id"], outcome.exit_code, round(outcome.duration_s, 3),
                                    outcome.output_tail, kill=switch.note()[len("[harness] "):])

    def _erp_switch_follows(self, name: str) -> None:
        """After `erp: {restart: true}` an armed switch kills the new process group."""
        for armed in self.__dict__.get("_erp_kills", []):
            if armed["seller"] == name and armed["switch"].fired is None:
                armed["switch"].pgid = self.erp_session.pgid(name)

    def _erp_took(self, name: str, raw: bytes, status: int | None, lost: bool, answer: bytes) -> None:
        """The gateway saw an ERP answer a posting: note the document the ERP now owes AJIO (model 1: the
        e-invoice of a CREATE, unless a CANCEL followed; the credit note of a return order posting in the
        credit-note model), so the next step waits for its first try (settle_erps)."""
        if status is None or not 200 <= status < 300:
            return
        try:
            posting = json.loads(raw)
        except ValueError:
            return
        model1 = self._seller_settings(name).get("einvoice_model", "erp") == "erp"
        event = posting.get("eventType") or ("RETURN_ORDER" if "returnOrderCode" in posting else "")
        with self._owed_lock:
            if event == "OUTWARD_ORDER_CREATE" and model1:
                self._owed[("invoice", str(posting.get("orderCode")))] = {"seller": name}
            elif event == "OUTWARD_ORDER_CANCEL":
                self._owed.pop(("invoice", str(posting.get("orderCode"))), None)
            elif event == "RETURN_ORDER" and model1 and posting.get("shipments") == []:
                self._owed[("credit_note", str(posting.get("returnOrderCode")))] = {"seller": name}

    def _first_try_made(self, key: tuple[str, str], owed: dict) -> bool:
        """Has the ERP made its first try of what it owes: AJIO has the document, or refused a try of the
        seller's ERP since the posting was taken (an outage staged by the scenario: the ERP tried), or left a try
        with no answer (status 0: a staged reset or cut connection; the ERP tried too). Until erp33d a try left
        unanswered did not count: after a step, the harness held the scenario the whole ERP_SETTLE_S (5 s) while
        the ERP went on retrying, so a fault rule the next steps staged came after the try it was meant for."""
        kind, entity = key
        if kind == "invoice":
            if self.control.get(f"/orders/{entity}")["status"] not in SETTLED_STATUSES:
                return True
        elif self.control.get(f"/returns/{entity}")["credit_note"] is not None:
            return True
        path = "/ajio-vms/b2bInvoice/posting" if kind == "invoice" else "/ajio-vms/creditNote/posting"
        entries = self.control.get(f"/journal?pob_id={self.pobs[owed['seller']]['pob_id']}&path={path}"
                                   f"&since={owed['since']}&limit=50")["entries"]
        return any(e["status"] >= 300 or not e["status"] for e in entries)

    def settle_erps(self) -> None:
        """Give each ERP under test the real time it takes (at most ERP_SETTLE_S) to make its first try of
        the documents it owes for the postings it accepted, as the simulated time a step spans would have let
        a real ERP do; the harness's stand-in works before it answers. What is still owed after the bound is
        left to the scenario's expectations to name (an ERP that never e-invoices fails them)."""
        if getattr(self.options, "erp", None) is None or not getattr(self, "_owed", None):
            return
        now = self.control.get("/clock")["now"]
        with self._owed_lock:
            for owed in self._owed.values():
                owed.setdefault("since", now)
        deadline = time.monotonic() + ERP_SETTLE_S
        while True:
            with self._owed_lock:
                pending = list(self._owed.items())
            done = [key for key, owed in pending if self._first_try_made(key, owed)]
            with self._owed_lock:
                for key in done:
                    self._owed.pop(key, None)
                if not self._owed or time.monotonic() >= deadline:
                    self._owed.clear()
                    return
            time.sleep(0.05)

    def pump_postings(self) -> None:
        """Send the ERP postings due now (POST /_sim/erp/deliver): the world's postings go out at known
        points (after each step, while waiting), so a synchronous ERP's answer is in before the next step.

        A shared server (`ajio-sim serve`, --base-url) also sends them from a background thread, which may
        hold one this call then skips: wait (bounded) until none of this scenario's is due and unsent."""
        if self.s.model != "vms" or self.control is None or self.erp_gateway is None:
            return
        self.control.call("POST", "/erp/deliver", {})
        if self.options.base_url:
            self._wait_for_background_sender()
        self.settle_erps()

    def _wait_for_background_sender(self) -> None:
        deadline = time.monotonic() + PUMP_WAIT_S
        while time.monotonic() < deadline:
            now = self.control.get("/clock")["now"]
            due = [p for name in self.erp_gateway.routes for p in self.control.get(
                f"/erp/postings?pob_id={self.pobs[name]['pob_id']}&status=PENDING")["postings"]
                if p["next_attempt_at"] is not None and p["next_attempt_at"] <= now]
            if not due:
                return
            time.sleep(0.05)

    # -- the harness plays the VMS layer ---------------------------------------------------
    def _vms_token(self, name: str, fresh: bool = False) -> str:
        """The seller's token, logged in again before its 30 simulated minutes run out: the layer the harness
        plays keeps AUTH-TOKEN-30-MIN itself, so its calls never show up as refused (the implicit checks)."""
        tokens = self.__dict__.setdefault("_vms_tokens", {})
        now = self.control.get("/clock")["now"]
        if fresh or name not in tokens or now - tokens[name][1] >= TOKEN_REFRESH_S:
            pob = self.pobs[name]
            r = self.control.session.post(f"{self.base_url}/vms/authToken", timeout=30,
                                          json={"username": pob["pob_id"], "password": pob["password"]})
            if r.status_code != 200:
                raise StepFailed(f"the harness (playing the VMS layer) could not log in as {name}: {r.text[:300]}")
            tokens[name] = (r.json()["result"]["accessToken"], now)
        return tokens[name][0]

    def vms_call(self, seller: str | None, method: str, path: str, body: Any = None,
                 status: int | None = None) -> Any:
        """One /vms (or /ajio-vms) call as the seller's VMS layer (or ERP) would make it; a 401 logs in again."""
        name = seller or self.s.connector_seller
        url = f"{self.base_url}{path}"
        fresh, throttled = False, 0
        while True:
            if path.startswith("/ajio-vms/"):
                pob = self.pobs[name]
                headers = {"authUsername": pob["pob_id"], "authPassword": pob["password"]}
            else:
                headers = {"apiKey": self._vms_token(name, fresh)}
            r = self.control.session.request(method.upper(), url, json=body, headers=headers, timeout=60)
            if r.status_code == 401 and not fresh:
                fresh = True  # the token died with the clock's jump: log in again, once
                continue
            if r.status_code == 429 and throttled < 5 and status != 429:
                throttled += 1  # a scenario throttling the ERP throttles the layer the harness plays too
                time.sleep(float(r.headers.get("Retry-After") or 1) + 0.05)
                continue
            break
        ok = r.status_code == status if status is not None else r.ok
        if not ok:
            raise StepFailed(f"{method.upper()} {path} (the harness playing the VMS layer) answered {r.status_code}"
                             f" (expected {status or '2xx'}): {r.text[:400]}")
        try:
            return r.json()
        except ValueError:
            return None

    def _do_acknowledge(self, step, a):
        self.vms_call(a.get("seller"), "POST", f"/vms/orders/{a['order']}/acknowledge", {})

    def _do_pack(self, step, a):
        self.vms_call(a.get("seller"), "GET", f"/vms/orders/{a['order']}/documents")

    def _do_manifest(self, step, a):
        answer = self.vms_call(a.get("seller"), "POST", "/vms/manifests", {"orderIds": a["orders"]})
        if "as" in a:
            self.vars[a["as"]] = answer

    def _do_seller_cancel(self, step, a):
        self.vms_call(a.get("seller"), "POST", f"/vms/orders/{a['order']}/cancel",
                      {"lines": a["lines"]} if "lines" in a else {})

    def _do_qc(self, step, a):
        """Every unit of the return PASS, or FAIL with the reason (the warehouse's QC, shared with AJIO)."""
        ret = self.control.get(f"/returns/{a['return']}")
        status = a.get("status", "PASS")
        items = []
        for item in ret["return_order_items"]:
            qty = item["return_quantity"] - item["cancelled_return_quantity"]
            if qty > 0:
                entry = {"itemCode": item["return_item_id"], "quantity": qty, "qcStatus": status}
                if status == "FAIL":
                    entry["qcReason"] = a["reason"]
                items.append(entry)
        self.vms_call(a.get("seller"), "POST", f"/vms/returns/{a['return']}/qc", {"items": items})

    def _do_vms_call(self, step, a):
        answer = self.vms_call(a.get("seller"), a["method"], a["path"], a.get("body"), a.get("status"))
        if "as" in a:
            self.vars[a["as"]] = answer

    def _do_deliver_postings(self, step, a):
        self.pump_postings()

    def _do_erp(self, step, a):
        name = a.get("seller") or self.s.connector_seller
        if not has_erp(self._seller_settings(name)):
            raise StepFailed(f"seller {name} has no ERP (model 2 without `erp: true`)")
        if a.get("restart"):
            self._restart_erp(name)
        if a.get("kill_at"):
            self._arm_erp_kill(step, name, a["kill_at"])
        self.erp_gateway.set(name, reachable=a.get("reachable"), lose_answers=a.get("lose_answers"))

    def _seller_settings(self, name: str) -> dict:
        return next(s.settings for s in self.s.sellers if s.name == name)

    # -- the connector's VMS environment ---------------------------------------------------
    def _vms_env(self, name: str) -> dict[str, str]:
        settings = self._seller_settings(name)
        hold = settings.get("ack_hold", 4 * 3600)   # the seller's hold, as its configuration would say
        return {"AJIO_VMS_EINVOICE_MODEL": settings.get("einvoice_model", "erp"),
                "AJIO_VMS_RETURN_MODEL": settings.get("return_model", "credit_note"),
                "AJIO_VMS_ACK_HOLD_SECONDS": str(durations.parse_duration(hold))}

