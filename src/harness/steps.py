"""World steps: what the scenario does to AJIO's world through /_sim, and a refused step blamed where it belongs.

A mixin of the runner's ScenarioRun (harness/runner.py), which gives it `control`, `pob()`, `vars`,
`warehouses`, `journal`, `marks`, `runs` and the scenario `s`. One `_do_<kind>` per world step of the
format (loader.WORLD_STEPS); adding a step means a loader entry and a method here.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.model import Failure, Step
from harness.world import StepFailed


class WorldSteps:
    def _world_refused(self, step: Step, args: Any, exc: StepFailed) -> Failure | None:
        """A world step AJIO refused because of the state the connector left things in (a 409 after the
        connector ran): the connector's failure, naming the order and its timeline, not a scenario error."""
        if exc.status != 409 or not self.runs or step.kind == "control":
            return None
        entity = args.get("order") or args.get("return") if isinstance(args, dict) else None
        what = f"the world cannot take this step: AJIO refused it ({exc.body.get('error_message') or exc})"
        actual = f"{exc.status} {exc.body.get('error_code') or ''}".strip()
        if entity:
            kind = "orders" if args.get("order") else "returns"
            try:
                state = self.control.get(f"/{kind}/{entity}")
                actual = (f"{kind[:-1]} {entity} is {state['status']} (timeline: "
                          f"{' -> '.join(t['to'] for t in state.get('timeline', []))})")
            except StepFailed:
                pass
            why = exc.body.get("error_message") or exc
            what = f"{kind[:-1]} {entity}: the world cannot take step '{step.kind}' ({why})"
        return Failure(step=step.label, what=what,
                       expected=f"the connector brings {entity or 'the world'} where '{step.kind}' can happen",
                       actual=actual, rule_id=exc.body.get("rule_id") or self.s.rules[0],
                       note="the connector left it in this state; what AJIO refused the connector is listed above")

    def _do_place_orders(self, step, a):
        body = {"pob_id": self.pob(a.get("seller"))["pob_id"], "count": a.get("count", 1),
                **{k: a[k] for k in ("lines", "seed", "payment_method", "carrier") if k in a}}
        # Dropship customers place orders; JIT orders are AJIO's purchase orders (/_sim/jit/orders).
        path = "/jit/orders" if self.s.model == "jit" else "/orders"
        ids = self.control.call("POST", path, body, expect=201)["order_ids"]
        if "as" in a:
            self.vars[a["as"]] = ids

    def _order_event(self, event: str, a: dict, body: dict | None = None) -> Any:
        return self.control.call("POST", f"/orders/{a['order']}/{event}", body or {})

    def _do_customer_cancel(self, step, a):
        self._order_event("customer-cancel", a, {"lines": a["lines"]} if "lines" in a else None)

    def _do_pickup(self, step, a):
        self._order_event("pickup", a)

    def _do_deliver(self, step, a):
        self._order_event("deliver", a)

    def _do_rto(self, step, a):
        answer = self._order_event("rto", a, {"reason": a["reason"]} if "reason" in a else None)
        if "as" in a:
            self.vars[a["as"]] = answer["return_order_id"]

    def _do_delivery_attempt(self, step, a):
        self._order_event("delivery-attempt", a, {k: a[k] for k in ("reason", "location") if k in a})

    def _do_scan(self, step, a):
        self._order_event("scan", a, {k: a[k] for k in ("milestone", "location") if k in a})

    def _import_catalogue(self, pob_id: str, catalogue, replace: bool) -> None:
        if isinstance(catalogue, list):
            self.control.call("POST", "/catalogue", {"pob_id": pob_id, "products": catalogue, "replace": replace},
                              expect=201)
            return
        path = Path(self.s.path).parent / catalogue
        if path.suffix.lower() == ".csv":
            self.control.post_csv("/catalogue", path.read_bytes(),
                                  {"pob_id": pob_id, "replace": str(replace).lower()}, expect=201)
            return
        loaded = json.loads(path.read_text(encoding="utf-8"))
        products = loaded["products"] if isinstance(loaded, dict) else loaded
        self.control.call("POST", "/catalogue", {"pob_id": pob_id, "products": products, "replace": replace},
                          expect=201)

    def _do_import_catalogue(self, step, a):
        self._import_catalogue(self.pob(a.get("seller"))["pob_id"], a.get("products", a.get("file")),
                               a.get("replace", True))

    def _do_publish(self, step, a, published: bool = True):
        self.control.call("POST", "/catalogue/publish", {"pob_id": self.pob(a.get("seller"))["pob_id"],
                                                         "skus": a["skus"], "published": published})

    def _do_unpublish(self, step, a):
        self._do_publish(step, a, published=False)

    def _do_customer_return(self, step, a):
        answer = self._order_event("customer-return", a, {k: a[k] for k in ("lines", "reason") if k in a})
        if "as" in a:
            self.vars[a["as"]] = answer["return_order_id"]

    def _do_return_arrives(self, step, a):
        self.control.call("POST", f"/returns/{a['return']}/deliver", {})

    def _do_cancel_return(self, step, a):
        self.control.call("POST", f"/returns/{a['return']}/cancel", {k: a[k] for k in ("lines",) if k in a})

    def _do_control(self, step, a):
        r = self.control.send(a["method"].upper(), a["path"], json=a.get("body"))
        want = a.get("status")
        if want is not None and r.status_code != want and (self.runs or "rule" in a):
            # The answer the scenario checks depends on what the connector did (or is the rule checked): a failure.
            body = _json_or_none(r)
            return [Failure(step=step.label, what=f"{a['method']} /_sim{a['path']} answered {r.status_code}",
                            expected=want, actual=f"{r.status_code}: {r.text[:300]}",
                            rule_id=a.get("rule") or (body or {}).get("rule_id") or self.s.rules[0])]
        if (want is not None and r.status_code != want) or (want is None and not r.ok):
            raise StepFailed(f"{a['method']} /_sim{a['path']} answered {r.status_code} "
                             f"(expected {want or '2xx'}): {r.text[:400]}")
        if "as" in a:
            self.vars[a["as"]] = r.json() if r.content else None

    def _do_drift(self, step, a):
        self.control.call("POST", "/jit/inventory/drift", {"pob_id": self.pob(a.get("seller"))["pob_id"],
                                                           "lines": a["lines"]})

    def _do_moderate(self, step, a):
        self.control.call("POST", "/jit/moderation", {"pob_id": self.pob(a.get("seller"))["pob_id"], "sku": a["sku"],
                                                      "moderation_status": a["status"]})

    def _do_mark(self, step, a):
        self.marks[a["name"]] = {p["pob_id"]: self.journal.position(p["pob_id"]) for p in self.pobs.values()}

    def _do_warehouse(self, step, a):
        name = a.get("seller") or self.s.connector_seller
        wh = self.warehouses[name]
        if "default_stock" in a:
            wh["default_stock"] = a["default_stock"]
        wh["stock"].update({str(k): v for k, v in a.get("stock", {}).items()})
        for order_id in a.get("out_of_stock_orders", []):
            for line in self.control.get(f"/orders/{order_id}")["lines"]:
                wh["stock"][line["sku"]] = 0
        # What the warehouse can still pick of an acknowledged order ({ORDER: {SKU: units}}), in the file only
        # once a step says it: a connector reads no `pickable` as "the warehouse does not say" (SKU counts only).
        for order_id, skus in a.get("pickable", {}).items():
            wh.setdefault("pickable", {}).setdefault(str(order_id), {}).update({str(k): v for k, v in skus.items()})
        wh["qc"].update({str(k): v for k, v in a.get("qc", {}).items()})
        wh["unexpected_rto"].extend(x for x in a.get("unexpected_rto", []) if x not in wh["unexpected_rto"])
        wh.setdefault("settings", {}).update(a.get("settings", {}))
        self._write_warehouse(name)

    def _do_advance(self, step, a):
        self.control.call("POST", "/clock/advance", {"seconds": a["seconds"]})
        if self.daemons:  # a daemon reads the time from its warehouse file as it syncs
            self._tell_the_time()


def _json_or_none(r) -> dict | None:
    try:
        body = r.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
