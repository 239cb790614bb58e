"""The soak's loop: each tick the world's traffic lands, the connector runs, the invariants are checked,
and the simulated clock moves on to the next tick.

A tick, at simulated instant T (the clock is frozen at T for the whole tick):
  1. what the traffic plan has due by T happens: orders placed, customers cancel and return, couriers
     bring parcels back, the warehouse receives or loses stock, AJIO's bad moments are installed;
  2. the change feed is read and the warehouse file is written (what the seller may sell);
  3. the connector runs: one run of the command (per tick), or one full sync of the daemon;
  4. the feed is read again and the invariants judge the tick's calls and every deadline that the
     connector's next run could no longer meet;
  5. the clock advances to the next tick (AJIO's timers fire: POs, pickups, deliveries, credit notes).
The connector's wall-clock speed decides nothing: world events land between runs, in simulated time.
"""
from __future__ import annotations

import contextlib
import heapq
import io
import random
import re
import resource
import shutil
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harness.connectors import PythonAdapter
from harness.soak import traffic
from harness.soak.config import DAY, HOUR, SoakConfig
from harness.soak.erp import ErpWatch
from harness.soak.invariants import Checker
from harness.soak.jit import JitChecker
from harness.soak.tap import Call
from harness.soak.vms import VmsChecker
from harness.soak.world import FINAL, PICKED, UNPICKED, Order, SoakWorld, _iso, open_units
from harness.world import StepFailed
from simulator import embedded

STATUS_ORDER = ("CREATED", "CONFIRMED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED", "RTO",
                "CANCELLED")
OUTPUT_TAIL = 4000
FAULT_LIFETIME = DAY   # a one-off fault strikes the first matching call within a day, or is dropped


@dataclass
class TickStats:
    tick: int
    at: int
    calls: int = 0
    refusals: int = 0
    throttled: int = 0
    failures: int = 0
    connector_wall_s: float = 0.0
    server_s: float = 0.0          # wall seconds the simulator spent on the connector's calls
    world_server_s: float = 0.0    # ... on the soak's own control-plane calls
    exit_code: int | None = None


@dataclass
class Timing:
    total_s: float = 0.0
    connector_wall_s: float = 0.0       # wall time of the connector's runs (its calls' server time included)
    connector_cpu_s: float | None = None
    sim_connector_s: float = 0.0        # simulator wall time answering the connector
    sim_connector_cpu_s: float = 0.0
    sim_world_s: float = 0.0            # simulator wall time on the soak's world events, feed and clock
    sim_world_cpu_s: float = 0.0
    setup_s: float = 0.0
    by_call: dict = field(default_factory=dict)   # "GET /ds/orders" -> [calls, server wall s, server CPU s]

    def add(self, c: Call) -> None:
        key = f"{c.method} {_shape(c.path)}"
        row = self.by_call.setdefault(key, [0, 0.0, 0.0])
        row[0] += 1
        row[1] += c.server_s
        row[2] += c.server_cpu_s

    def as_dict(self) -> dict:
        other = max(0.0, self.total_s - self.connector_wall_s - self.sim_world_s - self.setup_s)
        return {"total_s": round(self.total_s, 2), "setup_s": round(self.setup_s, 2),
                "connector_wall_s": round(self.connector_wall_s, 2),
                "connector_own_s": round(max(0.0, self.connector_wall_s - self.sim_connector_s), 2),
                "connector_cpu_s": None if self.connector_cpu_s is None else round(self.connector_cpu_s, 2),
                "simulator_serving_connector_s": round(self.sim_connector_s, 2),
                "simulator_serving_connector_cpu_s": round(self.sim_connector_cpu_s, 2),
                "simulator_world_s": round(self.sim_world_s, 2),
                "simulator_world_cpu_s": round(self.sim_world_cpu_s, 2),
                "harness_other_s": round(other, 2),
                "simulator_by_call": [{"call": k, "count": n, "wall_s": round(w, 3), "cpu_s": round(c, 3)}
                                      for k, (n, w, c) in sorted(self.by_call.items(), key=lambda kv: -kv[1][2])]}


@dataclass
class SoakResult:
    cfg: SoakConfig
    connector: str
    checker: Checker
    world: SoakWorld
    ticks: list[TickStats]
    days: list[dict]                    # per simulated day: status counts at its end, orders placed
    timing: Timing
    replay: str
    stopped_at_tick: int | None
    last_tick: int
    end_at: int
    fault_log: list[dict] = field(default_factory=list)
    runs: list[dict] = field(default_factory=list)   # abnormal connector exits, with their output
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.checker.total == 0


class SoakRun:
    def __init__(self, cfg: SoakConfig, adapter, replay_command: str, progress=None, erp=None) -> None:
        self.cfg = cfg
        self.adapter = adapter
        self.erp = erp          # the seller's ERP under test (harness.erp.ErpCommand / ErpUrl), or None
        self.replay_command = replay_command
        self.progress = progress or (lambda text: None)
        self.workdir = Path(tempfile.mkdtemp(prefix="ajio-sim-soak-"))
        self.keep_workdir = False
        self.daemon = None      # set here too: a failed setup must still reach _stop_daemon cleanly

    # -- setup ---------------------------------------------------------------------------------------
    def _setup(self) -> None:
        cfg = self.cfg
        self.world = SoakWorld(cfg, self.workdir, server_settings=self._server_settings(), erp_provider=self.erp,
                               erp_watch=ErpWatch() if self.erp is not None else None)
        self.checker = {"jit": JitChecker, "vms": VmsChecker}.get(cfg.model, Checker)(cfg, self.world)
        stock = traffic.initial_stock(cfg, len(self.world.skus))
        self.world.on_hand = dict(zip(self.world.skus, stock))
        self.outages = traffic.outage_days(cfg)
        self.approvals = {self.world.skus[i]: at for i, at in traffic.late_approvals(cfg, len(self.world.skus)).items()}
        for sku in self.approvals:   # in moderation before the connector's first SKU pull
            self.world.moderate(sku, "PENDING")
        self.plans: dict[int, traffic.DayPlan] = {}
        self.fates: dict[str, list] = {}
        self.due: list[tuple[int, int, str, str]] = []     # (instant, seq, action, order or return id)
        self.seq = 0
        self.installed: list[tuple[int, traffic.Fault]] = []  # fault rule id, its plan
        self.prev_now = cfg.start - 1
        self.fault_log: list[dict] = []
        self.daemon = None

    def _server_settings(self) -> dict:
        """The world's timing profile and AJIO's SLAs, as this simulator takes them. The exact profile is the
        configuration's fixed timings (PO 30 min after the acknowledgement, pickup a day after the manifest,
        delivery three days later); realistic draws them, and failed deliveries and returns, per order."""
        cfg = self.cfg
        known = embedded.settings()
        if cfg.profile != "exact" and "profile" not in known:
            raise StepFailed(f"--profile {cfg.profile}: this simulator has no timing profiles (only exact)")
        wanted = {"profile": cfg.profile, "ack_sla": cfg.ack_sla, "dispatch_sla": cfg.dispatch_sla, "pdf": cfg.pdf}
        return {k: v for k, v in wanted.items() if k in known}

    @property
    def world_returns(self) -> bool:
        """Whether the world itself fails deliveries (RTO) and has customers return (realistic profile,
        Dropship and VMS: a JIT PO goes to AJIO's warehouse, and its returns are the soak's to send)."""
        return self.cfg.profile == "realistic" and self.cfg.model in ("ds", "vms")

    def _plan(self, day: int) -> traffic.DayPlan:
        if day not in self.plans:
            self.plans[day] = traffic.day_plan(self.cfg, day, len(self.world.skus), self.outages)
        return self.plans[day]

    # -- the loop ------------------------------------------------------------------------------------
    def run(self) -> SoakResult:
        started = time.monotonic()
        cfg = self.cfg
        timing = Timing()
        ticks: list[TickStats] = []
        days: list[dict] = []
        runs: list[dict] = []
        error = None
        stopped = None
        tick = -1
        now = cfg.start
        self._setup()   # a world that cannot be built is the caller's error (StepFailed), not a verdict
        timing.setup_s = time.monotonic() - started
        try:
            self._start_daemon()
            schedule = self._schedule()
            for tick, now, next_run in schedule:
                stats = self._tick(tick, now, next_run, timing, runs)
                ticks.append(stats)
                if next_run is None or (next_run - cfg.start) // DAY != (now - cfg.start) // DAY:
                    days.append(self._day_snapshot(now))
                    self.progress(f"day {days[-1]['day']}: {days[-1]['orders']} orders, "
                                  f"{self.checker.total} violation(s)")
                if cfg.until_tick is not None and tick >= cfg.until_tick:
                    stopped = tick
                    break
                if next_run is None:
                    break
            if tick >= 0:
                self.checker.settle(tick, now)
            if stopped is None and tick >= 0:
                self.checker.finish(tick, now)
        except StepFailed as exc:
            error = f"the simulator refused a world step: {exc}"
        except KeyboardInterrupt:
            error = "interrupted"
        finally:
            self._stop_daemon(timing, runs)
            timing.total_s = time.monotonic() - started
        if not days or (ticks and days[-1]["at"] < ticks[-1].at):
            days.append(self._day_snapshot(now))
        under_test = self.adapter.describe() + (f"; {self.erp.describe()}" if self.erp is not None else "")
        result = SoakResult(cfg, under_test, self.checker, self.world, ticks, days, timing,
                            self.replay_command, stopped, tick, now, self.fault_log, runs, error)
        return result

    def close(self) -> None:
        try:
            self.world.stop()
        except Exception:  # the report is already written; a server that will not stop changes nothing
            pass
        if not self.keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _schedule(self):
        """(tick, instant, next run's instant or None) for the traffic days, then the settling days."""
        cfg = self.cfg
        tick = 0
        now = cfg.start
        while now < cfg.traffic_end:
            nxt = now + cfg.tick
            yield tick, now, nxt
            tick, now = tick + 1, nxt
        limit = cfg.traffic_end + cfg.settle_days * DAY
        first = True
        # VMS: the last orders' holds end in the first settling hours; their acknowledgements are due within
        # hours, not at the settling pace.
        busy_until = cfg.traffic_end + (cfg.vms_ack_hold + cfg.vms_ack_within if cfg.model == "vms" else 0)
        while True:
            nxt = now + (cfg.tick if now < busy_until else cfg.settle_tick)
            # Settled is judged on the world the previous tick left; the first settling tick still places
            # the orders of the last traffic tick's span, so it always runs.
            last = nxt > limit or (not first and self._settled())
            yield tick, now, None if last else nxt
            if last:
                return
            tick, now, first = tick + 1, nxt, False

    def _settled(self) -> bool:
        """Nothing left to happen: every order final, every return closed, no fate still to come."""
        world = self.world
        if self.due:
            return False
        for order in world.orders.values():
            if order.status not in FINAL:
                return False
        for ret in world.returns.values():
            if ret.status == "RETURN_CANCELLED":
                continue
            if self.cfg.model == "jit":  # created CONFIRMED and left so (seed 001 row 3): done once pulled
                if ret.return_order_id not in self.checker.returns_listed:
                    return False
                continue
            if self.cfg.model == "vms":  # QC shared; then a credit note (credit-note model) or an accepted RSI
                if ret.status != "RETURN_PROCESSED" or (self.cfg.vms_return_model == "credit_note"
                                                        and not ret.credit_note_number):
                    return False
                continue
            if ret.status != "RETURN_PROCESSED" or not ret.credit_note_number:
                return False
            if ret.return_order_id not in self.checker.credit_notes_read:
                return False
        if any(r["accepted"] is None for r in world.rsis.values()):
            return False
        return True

    def _tick(self, tick: int, now: int, next_run: int | None, timing: Timing, runs: list[dict]) -> TickStats:
        world = self.world
        world.advance_to(now)
        world.tap.tick = tick
        self._traffic(now)
        world.follow()
        self._schedule_fates()
        self._fire_due(now)
        world.deliver_postings()
        world.follow()
        self._schedule_fates()
        stock = world.write_warehouse()
        before = world.ajio_inventory()
        self.checker.before_run(tick, now, stock)
        stats = TickStats(tick, now)
        stats.exit_code = self._run_connector(stats, timing, runs)
        world.deliver_postings()
        world.follow()
        calls = world.tap.drain()
        ajio = [c for c in calls if c.ajio]
        self._schedule_fates()
        self.checker.world_changed()
        self.checker.calls(tick, now, ajio)
        if world.erp_watch is not None:   # the ERP under test's own calls
            self.checker.erp_calls(tick, now, [c for c in calls if c.path.startswith("/ajio-vms/")])
        self.checker.inventory(tick, now, before, stock, ajio)
        self.checker.deadlines(tick, now, now + 1 if next_run is None else next_run)
        self._clear_faults(next_run)
        for c in calls:
            timing.add(c)
        for c in ajio:
            stats.calls += 1
            stats.server_s += c.server_s
            timing.sim_connector_cpu_s += c.server_cpu_s
            if c.status == 429:
                stats.throttled += 1
            elif 400 <= c.status < 500:
                stats.refusals += 1
            elif c.status == 0 or c.status >= 500 or c.cut or c.bad_body:
                stats.failures += 1
        for c in calls + world.tap.drain():
            # The stand-in ERP's calls to /ajio-vms happen inside a /_sim/erp/deliver already counted.
            if not c.ajio and not c.path.startswith("/ajio-vms"):
                stats.world_server_s += c.server_s
                timing.sim_world_cpu_s += c.server_cpu_s
        timing.sim_connector_s += stats.server_s
        timing.sim_world_s += stats.world_server_s
        self.prev_now = now
        return stats

    # -- the connector -------------------------------------------------------------------------------
    def _run_connector(self, stats: TickStats, timing: Timing, runs: list[dict]) -> int | None:
        started = time.monotonic()
        if self.daemon is not None:
            self._daemon_sync()
            code = None
        else:
            before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu0 = time.thread_time()
            if isinstance(self.adapter, PythonAdapter):
                # In-process: the connector's prints would flood the soak's own output; keep them as a
                # command's output would be kept.
                buffer = io.StringIO()
                with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
                    outcome = self.adapter.run_once(self.world.env())
                text = buffer.getvalue()
                outcome.output_tail = (outcome.output_tail + "\n" + text[-OUTPUT_TAIL:]).strip()
            else:
                outcome = self.adapter.run_once(self.world.env())
            cpu = time.thread_time() - cpu0
            after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
            children = (after_children.ru_utime + after_children.ru_stime
                        - before_children.ru_utime - before_children.ru_stime)
            if getattr(self.adapter, "measures_cpu", True):
                timing.connector_cpu_s = (timing.connector_cpu_s or 0.0) + cpu + children
            code = outcome.exit_code
            if code not in (0, None) and len(runs) < 20:
                runs.append({"tick": stats.tick, "at": stats.at, "exit_code": code,
                             "duration_s": round(outcome.duration_s, 3), "output_tail": outcome.output_tail})
        stats.connector_wall_s = time.monotonic() - started
        timing.connector_wall_s += stats.connector_wall_s
        return code

    def _start_daemon(self) -> None:
        if not self.cfg.daemon:
            return
        if not getattr(self.adapter, "supports_daemon", False):
            raise StepFailed(f"--daemon needs a daemon-capable connector (--connector-cmd); "
                             f"{self.adapter.describe()} runs once per trigger")
        self.daemon = self.adapter.start(self.world.env())

    def _daemon_sync(self) -> None:
        """Wait, in wall-clock time, until the daemon has run one whole sync that began after the world
        changed. A sync starts with a call after a pause of at least quiet_seconds and ends at the next
        such pause; a 429 or a failed call lengthens the pause that counts, because the daemon is then
        waiting to retry, not done (docs/soak.md)."""
        tap, cfg = self.world.tap, self.cfg
        changed_at = time.monotonic()
        deadline = changed_at + cfg.connector_timeout
        mark = len(tap.calls)
        # The daemon's own calls only: the soak's control-plane calls just before are no sign of a sync.
        earlier = [c for c in tap.calls[:mark] if c.ajio]
        prev = earlier[-1] if earlier else None
        prev_end = prev.wall + prev.server_s if prev else 0.0
        started = False
        while time.monotonic() < deadline:
            if not self.daemon.alive():
                raise StepFailed("the daemon connector exited: " + self.daemon.stop().output_tail[-500:])
            fresh = tap.calls[mark:]
            mark += len(fresh)
            fresh = [c for c in fresh if c.ajio]
            for call in fresh:
                if call.wall >= changed_at and call.wall - prev_end >= self._pause_after(prev):
                    started = True
                prev_end, prev = max(prev_end, call.wall + call.server_s), call
            if started and not fresh and tap.idle_for() >= self._pause_after(prev):
                return
            time.sleep(0.01)
        raise StepFailed(f"the daemon connector did not finish a sync within {cfg.connector_timeout:g} s")

    def _pause_after(self, call: Call | None) -> float:
        quiet = self.cfg.quiet_seconds
        if call is None:
            return quiet
        if call.status == 429:
            try:
                wait = float(call.retry_after or 0)
            except ValueError:
                wait = 0.0
            return quiet + wait if wait <= 30 else quiet
        if call.status == 0 or call.status >= 500 or call.cut or call.bad_body:
            return max(quiet, 2.0)
        return quiet

    def _stop_daemon(self, timing: Timing, runs: list[dict]) -> None:
        if self.daemon is None:
            return
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        outcome = self.daemon.stop()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        timing.connector_cpu_s = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        if outcome.exit_code not in (0, -15, 143):
            runs.append({"tick": None, "at": None, "exit_code": outcome.exit_code,
                         "duration_s": round(outcome.duration_s, 3), "output_tail": outcome.output_tail})
        self.daemon = None

    # -- the traffic ---------------------------------------------------------------------------------
    def _traffic(self, now: int) -> None:
        """What the plan has due in (previous run, now]: orders, inbound, stock losses, faults."""
        cfg, world = self.cfg, self.world
        window_start = self.prev_now
        if window_start >= cfg.traffic_end:
            return
        for day in sorted({(window_start + 1 - cfg.start) // DAY, (now - cfg.start) // DAY}):
            if not 0 <= day < cfg.days:
                continue
            plan = self._plan(day)
            fates = [traffic.fate(cfg, plan.first_index + i, t) for i, t in enumerate(plan.order_times)
                     if window_start < t <= now]
            if fates:
                world.place(fates, seed=cfg.seed * 100_003 + world.tap.tick)
                for f in fates:
                    self.fates[world.by_index[f.index]] = [f]
                    if f.cancel_after is not None:
                        self._at(max(now, f.placed_at + f.cancel_after), "cancel", world.by_index[f.index])
            inbound_at = cfg.start + day * DAY + 6 * HOUR
            if window_start < inbound_at <= now:
                for i, units in plan.inbound.items():
                    sku = world.skus[i]
                    world.on_hand[sku] = world.on_hand.get(sku, 0) + units
            if plan.stockout and window_start < plan.stockout[0] <= now:
                self._stockout(world.skus[plan.stockout[1]], now)
            for fault in plan.faults:
                if window_start < fault.at <= now:
                    self._install(fault, now)
            for at, index, delta in plan.drifts:
                if window_start < at <= now:
                    self._drift(world.skus[index], delta, now)
            for at in plan.erp_losses:
                if window_start < at <= now and world.erp_watch is not None:
                    world.erp_watch.lose_next()
                    self.fault_log.append({"at": at, "kind": "erp_lost_answer", "applied": 1})
        for sku, at in self.approvals.items():
            if window_start < at <= now:
                world.moderate(sku, "APPROVED")
                self.fault_log.append({"at": now, "kind": "approval", "sku": sku, "applied": 1})

    def _stockout(self, sku: str, now: int) -> None:
        """A SKU's stock on the shelf is found damaged. The units promised to acknowledged orders not picked yet
        were on that shelf: the warehouse lists them as missing for those orders (Dropship, VMS), while picked
        parcels keep theirs. JIT promises units only at the pack: its stock is simply gone."""
        world, model = self.world, self.cfg.model
        lost, kept = world.on_hand.get(sku, 0), 0
        if model in UNPICKED:
            for order in world.orders.values():
                if order.status in PICKED[model]:
                    kept += sum(open_units(l) for l in order.lines if l["sku"] == sku)
                elif order.status in UNPICKED[model]:
                    units = sum(open_units(l) for l in order.lines if l["sku"] == sku)
                    if units > 0:
                        world.lose(order, sku, units)
                        self.checker.went_missing(order.order_id, sku, units, now)
        self.fault_log.append({"at": now, "kind": "stockout", "sku": sku, "lost": max(0, lost - kept)})
        world.on_hand[sku] = min(lost, kept)

    def _drift(self, sku: str, delta: int, now: int) -> None:
        """JIT: AJIO's view of a SKU moves away from the seller's last push (what the daily reconciliation
        must catch, seed 001 row 8); never below zero."""
        view = self.world.ajio_inventory().get(sku, 0)
        delta = max(delta, -view)
        if not delta:
            return
        self.world.control.call("POST", "/jit/inventory/drift",
                                {"pob_id": self.world.pob_id, "lines": [{"sku": sku, "delta": delta}]})
        self.checker.drifted(sku, now)
        self.fault_log.append({"at": now, "kind": "drift", "sku": sku, "delta": delta, "applied": 1})

    def _install(self, fault: traffic.Fault, now: int) -> None:
        rule = {**fault.rule, "match": {**fault.rule["match"], "pob_id": self.world.pob_id}}
        if fault.kind == "repeat":
            order_id = self.world.by_index.get(fault.repeat_index)
            if order_id is None:
                return
            rule["effects"] = [{**rule["effects"][0], "order_id": order_id}]
        answer = self.world.control.call("POST", "/faults", rule, expect=201)
        self.installed.append((answer["id"], fault))
        if any(e["kind"] in ("truncate", "malformed", "empty_body") for e in rule["effects"]):
            self.world.tap.check_bodies = True

    def _clear_faults(self, next_run: int | None) -> None:
        """A one-off fault waits for the call it strikes, at most FAULT_LIFETIME; an outage lasts until its
        end. Each is logged with whether it struck."""
        if not self.installed:
            return
        rules = {r["id"]: r for r in self.world.control.get("/faults")["faults"]}
        keep = []
        for rule_id, fault in self.installed:
            rule = rules.get(rule_id, {})
            if fault.until is not None:
                over = next_run is None or fault.until <= next_run
            else:
                over = not rule.get("active", False) or next_run is None or next_run > fault.at + FAULT_LIFETIME
            if not over:
                keep.append((rule_id, fault))
                continue
            self.fault_log.append({"at": fault.at, "kind": fault.kind, "name": fault.rule["name"],
                                   "effects": fault.rule["effects"], "applied": rule.get("applied", 0)})
            self.world.control.call("DELETE", f"/faults/{rule_id}")
        self.installed = keep
        self.world.tap.check_bodies = any(
            e["kind"] in ("truncate", "malformed", "empty_body") for _, f in keep for e in f.rule["effects"])

    def _at(self, instant: int, action: str, ident: str) -> None:
        self.seq += 1
        heapq.heappush(self.due, (instant, self.seq, action, ident))

    def _schedule_fates(self) -> None:
        """Fates that wait for the world: a turn-back after pickup, a return after delivery, a withdrawal."""
        world = self.world
        for order_id in list(world.dirty_orders):
            order = world.orders[order_id]
            f = order.fate
            world_does = self.world_returns and f.delivery == "rto"
            if f.delivery != "deliver" and not world_does and "dispatched" in order.stamps \
                    and "turn_back" not in order.done_fates:
                order.done_fates.add("turn_back")
                self._at(order.stamps["dispatched"] + f.turn_back_after, f.delivery, order_id)
            if f.return_after is not None and not self.world_returns and "delivered" in order.stamps \
                    and "return" not in order.done_fates:
                order.done_fates.add("return")
                self._at(order.stamps["delivered"] + f.return_after, "return", order_id)
            if f.pick_short and order.status in UNPICKED.get(self.cfg.model, ()) \
                    and "pick_short" not in order.done_fates:
                order.done_fates.add("pick_short")
                self._pick_short(order)
        for return_id in list(world.dirty_returns):
            ret = world.returns[return_id]
            order = world.orders.get(ret.order_id)
            if order is None:
                continue
            f = order.fate
            world.qc.setdefault(order.order_id, f.qc)  # what the warehouse will find when it comes back
            if self.cfg.model == "vms" and ret.return_type == "RTO" and "arrived" in ret.stamps \
                    and order.order_id not in world.unexpected_rto:
                # The warehouse logs every parcel that comes back, announced or not: a VMS layer asks for an
                # RTO only for those AJIO sent no expectation for (seed 002).
                world.unexpected_rto.append(order.order_id)
            if ret.return_type != "CUSTOMER_RETURN":
                continue
            if f.withdraw_after is not None and "withdraw" not in order.done_fates:
                order.done_fates.add("withdraw")
                self._at(ret.created_at + f.withdraw_after, "withdraw", return_id)

    def _pick_short(self, order: Order) -> None:
        """Picking the acknowledged order (Dropship, VMS), the warehouse finds one unit of its first line missing
        or damaged; it says so in the warehouse file (`missing`) and the unit is gone from the shelf."""
        line = next((l for l in order.lines if open_units(l) > 0), None)
        if line is None:
            return
        sku, world = line["sku"], self.world
        world.lose(order, sku, 1)
        world.on_hand[sku] = world.on_hand.get(sku, 0) - 1
        order.notes.append(f"{_iso(world.now)} the warehouse could not pick one unit of {sku} (missing or damaged)")
        self.checker.went_missing(order.order_id, sku, 1, world.now)

    def _fire_due(self, now: int) -> None:
        world = self.world
        while self.due and self.due[0][0] <= now:
            _, _, action, ident = heapq.heappop(self.due)
            if action == "withdraw":
                ret = world.returns[ident]
                order = world.orders[ret.order_id]
                body = self._partial_withdrawal(ret)
                world.event(order, f"customer withdrew {'some units of ' if body else ''}return {ident}",
                            f"/returns/{ident}/cancel", body)
                continue
            order = world.orders[ident]
            getattr(self, f"_fate_{action}")(order, now)

    def _partial_withdrawal(self, ret) -> dict | None:
        """At return_withdraw_partial_share, a customer withdrawing a return of two or more units withdraws only the
        units of its first line (all but one unit, if that line is the whole return): they count in
        cancelled_return_quantity and the rest is still picked up, put away and credited. Drawn from the return's
        own generator: the order's fate draws stay what they were."""
        rng = random.Random(f"{self.cfg.seed}:withdraw:{ret.return_order_id}")
        if rng.random() >= self.cfg.return_withdraw_partial_share:
            return None
        left = [(i["order_item_id"], i["return_quantity"] - i["cancelled_return_quantity"]) for i in ret.items or []]
        if sum(units for _, units in left) < 2:
            return None
        item, units = next((item, units) for item, units in left if units > 0)
        return {"lines": [{"order_item_id": item, "quantity": min(units, sum(u for _, u in left) - 1)}]}

    def _fate_cancel(self, order: Order, now: int) -> None:
        lines = [l for l in order.lines if open_units(l) > 0]
        body = None
        if order.fate.cancel_partial and len(lines) > 1:
            body = {"lines": [{"order_item_id": lines[0]["order_item_id"], "quantity": open_units(lines[0])}]}
        answer = self.world.event(order, "customer cancelled" + (" one line" if body else ""),
                                  f"/orders/{order.order_id}/customer-cancel", body)
        self.world.customer_cancels[f"{order.status} {'partial' if body else 'whole'}"
                                    f"{'' if answer is not None else ' refused'}"] += 1

    def _fate_rto(self, order: Order, now: int) -> None:
        self.world.qc[order.order_id] = order.fate.qc
        self.world.event(order, "delivery failed: the courier returns it (RTO)", f"/orders/{order.order_id}/rto")

    def _fate_unexpected_rto(self, order: Order, now: int) -> None:
        if order.status != "DISPATCHED":
            order.notes.append(f"{_iso(now)} the parcel would have come back, but the order is {order.status}")
            return
        self.world.qc[order.order_id] = order.fate.qc
        self.world.unexpected_rto.append(order.order_id)
        order.notes.append(f"{_iso(now)} the parcel came back to the warehouse without AJIO's RTO expectation")
        self.checker.parcel_came_back(order.order_id, now)

    def _fate_return(self, order: Order, now: int) -> None:
        self.world.qc[order.order_id] = order.fate.qc
        lines = [l for l in order.lines if open_units(l) > 0]
        body = {"reason": order.fate.return_reason}
        if order.fate.return_partial and sum(open_units(l) for l in lines) > 1:
            body["lines"] = [{"order_item_id": lines[0]["order_item_id"], "quantity": 1}]
        if self.cfg.model == "jit":  # AJIO sends units of a delivered PO back to the vendor (RTV)
            self.world.event(order, "AJIO returned it to the vendor", f"/jit/orders/{order.order_id}/return",
                             {k: v for k, v in body.items() if k == "lines"})
            return
        self.world.event(order, f"customer returned it ({order.fate.return_reason})",
                         f"/orders/{order.order_id}/customer-return", body)

    # -- the report's daily view ---------------------------------------------------------------------
    def _day_snapshot(self, now: int) -> dict:
        counts = Counter(o.status for o in self.world.orders.values())
        day = (now - self.cfg.start) // DAY
        return {"day": day + 1, "at": now, "orders": len(self.world.orders),
                "by_status": {s: counts.get(s, 0) for s in STATUS_ORDER},
                "returns": Counter(r.status for r in self.world.returns.values())}


# An id is a path segment of 6 or more characters with a digit (FN0000000001, MF..., 40...) or all capitals
# and digits (a document's DOC + 12 alphanumerics, a POB's DV + 6, may have no digit); route words are lower or
# camel case (updateInventory, creditNote), never all capitals.
_ID = re.compile(r"/(?:(?=[^/]*\d)[A-Za-z0-9_-]{6,}|[A-Z0-9]{6,})(?=/|$)")


def _shape(path: str) -> str:
    """A path with its ids replaced: /ds/orders/FN123/label -> /ds/orders/{id}/label."""
    return _ID.sub("/{id}", path)


def calls_by_hour(ticks: list[TickStats]) -> list[dict]:
    return [{"tick": t.tick, "at": t.at, "calls": t.calls, "refusals": t.refusals, "throttled": t.throttled,
             "failures": t.failures} for t in ticks]


__all__ = ["SoakRun", "SoakResult", "TickStats", "Timing", "Call", "calls_by_hour", "threading"]
