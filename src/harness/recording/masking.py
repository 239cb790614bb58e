"""Privacy masks for recordings: secrets and customers' personal data out, JSON types and shapes kept.

A masked value keeps what the drift checker needs and nothing a person could use: a string stays a
string of the same length class (4, 8, 16, ... characters of "x"), digits stay digits (a phone keeps
its length and separators), an e-mail stays an e-mail, an integer keeps its number of digits, null and
booleans stay as they are. Masks are idempotent (masking a masked value changes nothing), which lets
the replay server key requests on masked bodies: a recorded login matches a replayed one.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

# Keys are compared lower-cased with "_", "-" and spaces removed: "api_key", "apiKey" and "API-KEY" agree.
SECRET_KEYS = frozenset({
    "password", "authpassword", "apipassword", "einvoicingpassword", "accesstoken", "refreshtoken", "idtoken",
    "token", "apikey", "secret", "clientsecret", "auth", "authorization", "otp"})
# Objects whose every value is personal data (the AJIO payloads carry a customer and two addresses).
PII_CONTAINERS = frozenset({"customer", "customerdetails", "customerinfo", "buyer", "buyerdetails", "consignee",
                            "recipient", "shipto", "billto"})
PII_WORDS = ("phone", "mobile", "email")
# Named one by one: "customer_cancelled_qty" is a quantity, not personal data.
PII_LEAVES = frozenset({"customername", "customerfirstname", "customerlastname", "buyername", "firstname", "lastname",
                        "fullname", "contactnumber", "contactno", "contactname", "consigneename", "pincode", "zip",
                        "zipcode", "postalcode"})
SECRET_HEADERS = frozenset({"apikey", "xapikey", "authpassword", "authorization", "proxyauthorization", "cookie",
                            "setcookie", "xadmintoken"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DIGITS = re.compile(r"^\+?[\d][\d\s\-().]*$")
# A body that is not valid JSON (cut, or not JSON at all) still loses these values.
_TEXT_SECRET = re.compile(r'("(?:password|authPassword|accessToken|refreshToken|apiKey|token|auth)"\s*:\s*)"'
                          r'((?:[^"\\]|\\.)*)"', re.IGNORECASE)


def norm(key: str) -> str:
    return re.sub(r"[\s_\-]", "", str(key)).lower()


def length_class(n: int) -> int:
    """0, or the smallest power of two >= n (at least 4): the mask shows the order of magnitude only."""
    if n <= 0:
        return 0
    size = 4
    while size < n:
        size *= 2
    return size


def mask_scalar(value: Any) -> Any:
    """One value, its JSON type kept (see the module docstring)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        digits = len(str(abs(value)))
        return 0 if value == 0 else (1 if value > 0 else -1) * 10 ** (digits - 1)
    if isinstance(value, float):
        return 0.0
    if isinstance(value, str):
        if not value:
            return value
        if _EMAIL.match(value):
            local = value.split("@", 1)[0]
            return "x" * length_class(len(local)) + "@masked.invalid"
        if _DIGITS.match(value) and any(c.isdigit() for c in value):
            return re.sub(r"\d", "0", value)
        return "x" * length_class(len(value))
    return value


def mask_tree(value: Any) -> Any:
    """Every leaf of a subtree masked, its structure (keys, list lengths, types) kept."""
    if isinstance(value, dict):
        return {k: mask_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_tree(v) for v in value]
    return mask_scalar(value)


def is_secret_key(key: str) -> bool:
    k = norm(key)
    return k in SECRET_KEYS or "password" in k or "secret" in k


def is_pii_key(key: str) -> bool:
    k = norm(key)
    return (k in PII_CONTAINERS or k in PII_LEAVES or k.endswith("address")
            or any(word in k for word in PII_WORDS))


@dataclass
class Masker:
    """Masks one recording's exchanges; `enabled=False` records everything as it came (said in the HAR)."""

    enabled: bool = True
    extra_keys: frozenset[str] = field(default_factory=frozenset)   # --mask-key NAME, compared normalised

    def sensitive(self, key: str) -> bool:
        return is_secret_key(key) or is_pii_key(key) or norm(key) in self.extra_keys

    def json_value(self, value: Any, where: str = "$") -> tuple[Any, list[str]]:
        """(masked copy, JSON paths masked with list indexes collapsed to [])."""
        if not self.enabled:
            return value, []
        found: list[str] = []
        return self._walk(value, where, found), list(dict.fromkeys(found))

    def _walk(self, value: Any, where: str, found: list[str]) -> Any:
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                at = f"{where}.{k}"
                if self.sensitive(k) and v is not None:
                    out[k] = mask_tree(v)
                    found.append(at)
                else:
                    out[k] = self._walk(v, at, found)
            return out
        if isinstance(value, list):
            return [self._walk(v, f"{where}[]", found) for v in value]
        return value

    def body(self, text: str | None, where: str) -> tuple[str | None, list[str]]:
        """A request or answer body: JSON is parsed and masked key by key; other text loses secret-looking
        `"key": "value"` pairs (a cut JSON body is still cleaned)."""
        if not self.enabled or not text:
            return text, []
        try:
            doc = json.loads(text)
        except ValueError:
            found: list[str] = []

            def repl(m: re.Match) -> str:
                found.append(f"{where} (text) {m.group(1).split(chr(34))[1]}")
                return f'{m.group(1)}"{"x" * length_class(len(m.group(2)))}"'
            return _TEXT_SECRET.sub(repl, text), found
        masked, paths = self.json_value(doc)
        if not paths:
            return text, []   # untouched: keep the exact bytes (key order, spacing) as they came
        return json.dumps(masked, ensure_ascii=False), [f"{where} {p}" for p in paths]

    def headers(self, headers: list[tuple[str, str]], where: str) -> tuple[list[tuple[str, str]], list[str]]:
        if not self.enabled:
            return headers, []
        out, found = [], []
        for name, value in headers:
            k = norm(name)
            if k in SECRET_HEADERS or self.sensitive(name) or any(w in k for w in ("token", "secret", "password")):
                out.append((name, mask_scalar(value)))
                found.append(f"{where} {name}")
            else:
                out.append((name, value))
        return out, found

    def query(self, query: str, where: str) -> tuple[str, list[str]]:
        if not self.enabled or not query:
            return query, []
        pairs = parse_qsl(query, keep_blank_values=True)
        if not any(self.sensitive(k) for k, _ in pairs):
            return query, []
        found = [f"{where} {k}" for k, _ in pairs if self.sensitive(k)]
        masked = [(k, mask_scalar(v) if self.sensitive(k) else v) for k, v in pairs]
        return urlencode(masked), list(dict.fromkeys(found))


def key_body(text: str | None) -> str:
    """A request body as the replay server keys it: masked (so a recorded, masked login still matches a
    live one), JSON canonicalised (key order and spacing do not matter)."""
    if not text:
        return ""
    try:
        doc = json.loads(text)
    except ValueError:
        masked, _ = Masker().body(text, "body")
        return masked or ""
    masked_doc, _ = Masker().json_value(doc)
    return json.dumps(masked_doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def key_query(query: str) -> str:
    """A query string as the replay server keys it: masked, pairs sorted."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    m = Masker()
    return urlencode(sorted((k, mask_scalar(v) if m.sensitive(k) else v) for k, v in pairs))
