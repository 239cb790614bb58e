#!/bin/sh
# A minimal AJIO Dropship connector in POSIX shell with curl and jq: proof that `ajio-sim run`
# tests a connector in any language. It acknowledges pending orders, then invoices, labels and
# manifests them once AJIO's PO is there, keeping every PDF. (No returns: see the Python reference.)
# Environment: AJIO_BASE_URL, AJIO_USERNAME, AJIO_PASSWORD (pinned), AJIO_STATE_DIR (kept between runs).
set -eu
BASE="${AJIO_BASE_URL%/}"
STATE="${AJIO_STATE_DIR:-.}"
HELD="$STATE/held-orders.txt"      # order ids this connector acknowledged, one per line
FINAL="$STATE/final-orders.txt"    # held orders that reached a final status: no longer re-read
DOCS="$STATE/documents"
mkdir -p "$DOCS"
touch "$HELD" "$FINAL"

TOKEN=$(curl -sf -X POST "$BASE/ds/authToken" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg u "$AJIO_USERNAME" --arg p "$AJIO_PASSWORD" '{username: $u, password: $p}')" \
  | jq -r '.result.accessToken')

api() {  # api METHOD PATH [JSON]: prints the body; fails on HTTP >= 400
  if [ $# -ge 3 ]; then
    curl -sf -X "$1" "$BASE/ds$2" -H "apiKey: $TOKEN" -H 'Content-Type: application/json' -d "$3"
  else
    curl -sf -X "$1" "$BASE/ds$2" -H "apiKey: $TOKEN"
  fi
}
fetch_pdf() {  # fetch_pdf URL: AJIO's document, with the same apiKey
  curl -sf "$1" -H "apiKey: $TOKEN" -o "$DOCS/$(basename "$1").pdf"
}

# 1. Acknowledge every pending order (all pages), in full.
page=0
while :; do
  answer=$(api GET "/orders/pendency?page=$page&size=50")
  for id in $(echo "$answer" | jq -r '.orders[].order_id'); do
    api POST /orders "$(jq -n --arg id "$id" '{order_id: $id, status: "Acknowledge", order_lines: []}')" >/dev/null
    echo "$id" >> "$HELD"
    echo "acknowledged $id"
  done
  pages=$(echo "$answer" | jq -r '.page.totalPages')
  page=$((page + 1))
  [ "$page" -lt "$pages" ] || break
done

# 2. Re-read held orders until they are final: invoice and label the confirmed ones whose PO arrived.
awbs=""
for id in $(sort -u "$HELD" | grep -vxF -f "$FINAL" || true); do
  order=$(api GET "/orders?orderIds=$id" | jq '.orders[0]')
  status=$(echo "$order" | jq -r '.status')
  case "$status" in DELIVERED|CANCELLED) echo "$id" >> "$FINAL"; continue ;; esac
  po=$(echo "$order" | jq -r '.po_number // empty')
  [ "$status" = "CONFIRMED" ] && [ -n "$po" ] || continue
  fetch_pdf "$(echo "$order" | jq -r '.po_pdf_url')"
  invoice=$(api POST "/orders/$id/invoice" '{}')
  fetch_pdf "$(echo "$invoice" | jq -r '.invoice_pdf_url')"
  label=$(api POST "/orders/$id/label" '{"weight_grams": 500, "length_cm": 32, "breadth_cm": 24, "height_cm": 5}')
  fetch_pdf "$(echo "$label" | jq -r '.label_pdf_url')"
  fetch_pdf "$(echo "$label" | jq -r '.b2c_invoice_pdf_url')"
  awbs="$awbs$(jq -cn --arg id "$id" --arg awb "$(echo "$label" | jq -r '.tracking_number')" \
        --arg inv "$(echo "$invoice" | jq -r '.invoice_number')" --arg carrier "$(echo "$label" | jq -r '.carrier')" \
        '{masterAWB: $awb, orderId: $id, invoiceNo: $inv, carrier: $carrier}')
"
  echo "packed $id"
done

# 3. A manifest per carrier for what was packed now: a manifest is handed to one courier (this small
#    connector never packs more than 250 per run).
if [ -n "$awbs" ]; then
  for body in $(printf '%s' "$awbs" | jq -sc 'group_by(.carrier)[] | {dispatchItems: map(del(.carrier))}'); do
    manifest=$(api POST /orders/dispatch "$body")
    fetch_pdf "$(echo "$manifest" | jq -r '.manifestUrl')"
    echo "manifest $(echo "$manifest" | jq -r '.manifest_id')"
  done
fi
