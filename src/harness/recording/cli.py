"""`ajio-sim proxy` and `ajio-sim drift`: the command-line side of record and compare (docs/drift.md)."""
from __future__ import annotations

import argparse
import ipaddress
import json
import signal
import sys
from pathlib import Path
from urllib.parse import urlsplit

COMMANDS = ("proxy", "drift")
MASK_SUMMARY = ("passwords, accessToken/refreshToken, apiKey/authPassword/Authorization/cookie headers, customers' "
                "names, phones, e-mails and addresses; binary documents omitted")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {text}")
    return value


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "proxy", help="record real AJIO traffic (HAR 1.2) through a forwarding proxy",
        description="A recording proxy: point your connector at it instead of AJIO. Every call is forwarded "
                    "unchanged to --upstream and its answer streamed back; each exchange is appended to --record "
                    "as HAR 1.2 (the file is valid after every exchange). Secrets and customers' personal data "
                    f"are masked by default ({MASK_SUMMARY}), keeping each value's JSON type and shape. An "
                    "unreachable upstream is answered 502, a timeout 504 (AJIO's error shape, recorded as the "
                    "proxy's own answer); an answer the upstream cuts is cut for the client too and recorded as "
                    "incomplete. Compare the recording with `ajio-sim drift`; replay it with `ajio-sim run "
                    "--replay`. See docs/drift.md.")
    p.add_argument("--upstream", required=True, metavar="URL",
                   help="where calls go: AJIO's host (production/staging), with any per-integrator path prefix")
    p.add_argument("--record", required=True, metavar="FILE", help="the HAR file to write")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    p.add_argument("--timeout", type=_seconds, default=60.0,
                   help="seconds to wait for the upstream's answer, and between two pieces of it (default 60); "
                        "beyond it the client gets 504")
    p.add_argument("--connect-timeout", type=_seconds, default=10.0,
                   help="seconds to wait for a connection to the upstream (default 10)")
    p.add_argument("--list-masked", action="store_true",
                   help="print, for every exchange, the places masked (header names and JSON paths, never values); "
                        "they are in each HAR entry's _ajioSim.masked either way")
    p.add_argument("--mask-key", action="append", default=[], metavar="NAME",
                   help="also mask JSON keys, query parameters and headers with this name (repeatable)")
    p.add_argument("--no-mask", action="store_true",
                   help="record everything as it came, secrets and personal data included (the HAR says so)")
    p.add_argument("--keep-documents", action="store_true",
                   help="keep binary answers (PDF documents carry customers' names and addresses; omitted by default)")
    p.add_argument("--rewrite-links", action="store_true",
                   help="in JSON answers, replace the upstream's base URL with the proxy's, so that documents named "
                        "by *_url fields are fetched (and recorded) through the proxy; the HAR keeps AJIO's answer")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --record file")

    d = sub.add_parser(
        "drift", help="compare a recording (HAR or journal export) with the simulator's contract",
        description="Check every recorded exchange against the contract the simulator serves (the OpenAPI "
                    "document built from contracts/): unknown paths, undocumented status codes, fields in AJIO's "
                    "answer but not ours and the reverse, type and format differences (epoch vs ISO dates, "
                    "numbers as strings), error bodies in another shape. FILE is a HAR (ajio-sim proxy, a "
                    "browser, any HAR tool) or the simulator's journal export ({\"entries\": [...]} of "
                    "GET /_sim/journal). Prints a table grouped by operation; exit 0 when nothing drifts (or all "
                    "of it is in --baseline), 1 on drift, 2 when the input cannot be read.")
    d.add_argument("file", metavar="FILE", help="a HAR file or a journal export")
    d.add_argument("--json", metavar="OUT", help="also write the report as JSON (\"-\": print only the JSON)")
    d.add_argument("--baseline", metavar="FILE",
                   help="accepted drift: a previous --json report, or a list of {operation, kind, where, detail?}")
    d.add_argument("--path-map", action="append", default=[], metavar="FROM=TO",
                   help="rewrite a recorded path prefix before the lookup, e.g. /ds/acme=/ds for AJIO's "
                        "per-integrator prefix (repeatable)")
    d.add_argument("--contract", metavar="OPENAPI_JSON",
                   help="compare with this OpenAPI document instead of the installed contract")


def main(args) -> int:
    return proxy(args) if args.command == "proxy" else drift(args)


# -- proxy ---------------------------------------------------------------------------------------
def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def proxy(args) -> int:
    from werkzeug.serving import WSGIRequestHandler, make_server

    from harness.recording.har import HarWriter
    from harness.recording.masking import Masker, norm
    from harness.recording.proxy import ProxyOptions, RecordingProxy

    up = urlsplit(args.upstream)
    if up.scheme not in ("http", "https") or not up.netloc or up.query or up.fragment:
        print(f"ajio-sim proxy: --upstream must be an http(s) base URL without query, got {args.upstream!r}",
              file=sys.stderr)
        return 2
    record = Path(args.record)
    if record.exists() and not args.overwrite:
        print(f"ajio-sim proxy: {record} exists: pass --overwrite to replace it (a recording is never appended to "
              "or cut silently)", file=sys.stderr)
        return 2
    if not record.parent.is_dir():
        print(f"ajio-sim proxy: {record.parent} is not a directory", file=sys.stderr)
        return 2
    from importlib.metadata import PackageNotFoundError, version
    try:
        creator_version = version("ajio-sim")  # the HAR names its creator's version
    except PackageNotFoundError:
        creator_version = "unknown"
    masker = Masker(enabled=not args.no_mask, extra_keys=frozenset(norm(k) for k in args.mask_key))
    comment = (f"recorded by ajio-sim proxy from {args.upstream}; " +
               (f"masked: {MASK_SUMMARY}" if masker.enabled else "NOT masked: holds secrets and personal data"))
    try:
        writer = HarWriter(record, creator_version=creator_version, upstream=args.upstream.rstrip("/"),
                           masked=masker.enabled, comment=comment)
    except OSError as exc:
        print(f"ajio-sim proxy: cannot write {record}: {exc.strerror}", file=sys.stderr)
        return 2
    options = ProxyOptions(upstream=args.upstream, connect_timeout=args.connect_timeout, read_timeout=args.timeout,
                           rewrite_links=args.rewrite_links, keep_documents=args.keep_documents,
                           list_masked=args.list_masked)
    app = RecordingProxy(options, writer, masker)

    class Quiet(WSGIRequestHandler):
        def log_request(self, *a, **kw) -> None:  # the proxy prints its own line per exchange
            pass

    try:
        server = make_server(args.host, args.port, app, threaded=True, request_handler=Quiet)
    except OSError as exc:
        writer.close()
        record.unlink(missing_ok=True)
        print(f"ajio-sim proxy: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    base = f"http://{args.host}:{server.server_port}"
    print(f"ajio-sim proxy listening on {base} -> {args.upstream}", flush=True)
    print(f"  recording to {record} (HAR 1.2); point your connector's AJIO base URL at {base}", flush=True)
    print("  masking: " + (MASK_SUMMARY if masker.enabled else "OFF: the recording holds secrets and personal data")
          + (" (documents kept)" if args.keep_documents and masker.enabled else ""), flush=True)
    if not _loopback(args.host):
        print("  WARNING: listening beyond loopback: anyone who reaches this port talks to the upstream", flush=True)
    def stop(*_) -> None:   # SIGTERM ends the proxy as Ctrl-C does: exchanges in flight still land
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        # Exchanges in flight finish: the client gets its answer and the file gets the exchange.
        unrecorded = app.drain(timeout=args.timeout + args.connect_timeout)
        writer.close()
        print(f"ajio-sim proxy: recorded {writer.count} exchange(s) to {record}", flush=True)
        if unrecorded:
            print(f"ajio-sim proxy: WARNING: {unrecorded} exchange(s) still in progress at shutdown were NOT "
                  "recorded", file=sys.stderr, flush=True)
    return 0


# -- drift ---------------------------------------------------------------------------------------
def drift(args) -> int:
    from rich.console import Console

    from harness.recording.contract import Contract
    from harness.recording.drift import apply_baseline, check_file, load_baseline, parse_path_map, render_text
    from harness.recording.har import RecordingError, load

    try:
        path_map = parse_path_map(args.path_map)
        kind, exchanges, _ = load(args.file)
        contract = Contract.load(args.contract)
        baseline = load_baseline(args.baseline) if args.baseline else None
    except (RecordingError, ValueError, OSError, KeyError) as exc:
        print(f"ajio-sim drift: {exc}", file=sys.stderr)
        return 2
    report = check_file(exchanges, args.file, kind, contract, path_map)
    if baseline is not None:
        apply_baseline(report, baseline, args.baseline)
    doc = json.dumps(report.as_json(), indent=1, ensure_ascii=False)
    if args.json == "-":
        print(doc)
    else:
        render_text(report, Console(highlight=False, soft_wrap=False))
        if args.json:
            Path(args.json).write_text(doc + "\n", encoding="utf-8")
    return 0 if report.ok else 1
