"""Identifiers: seeded, collision-free numbers for records, and unguessable secrets for tokens."""
from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache

_ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I/O: they read as 1/0 on printed labels


# Pure functions of (seed, name), asked for on every id a world hands out (a SHA-256 each): kept.
@lru_cache(maxsize=1024)
def _derive(seed: int, name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{name}".encode()).digest()[:8], "big")


@lru_cache(maxsize=1024)
def _coprime_multiplier(seed: int, name: str, modulus_factors: tuple[int, ...]) -> int:
    value = _derive(seed, name + ":a") | 1
    while any(value % f == 0 for f in modulus_factors):
        value += 2
    return value


class Ids:
    """Maps a sequence number to an id that looks random but is unique and reproducible.

    An affine map x -> (a*x + b) mod N with a coprime to N is a bijection on [0, N), so distinct
    sequence numbers (taken atomically from the store) can never give the same id, across any
    number of workers, while a given seed always yields the same ids.
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def _digits(self, name: str, seq: int, width: int) -> str:
        modulus = 10 ** width
        a = _coprime_multiplier(self.seed, name, (2, 5))
        b = _derive(self.seed, name + ":b")
        return f"{(a * seq + b) % modulus:0{width}d}"

    def _alnum(self, name: str, seq: int, width: int) -> str:
        base = len(_ALNUM)
        modulus = base ** width
        factors = (2, 17)  # 34 = 2 * 17
        a = _coprime_multiplier(self.seed, name, factors)
        value = (a * seq + _derive(self.seed, name + ":b")) % modulus
        out = []
        for _ in range(width):
            value, r = divmod(value, base)
            out.append(_ALNUM[r])
        return "".join(reversed(out))

    # Shapes follow what integrators show of AJIO: POB ids start with DV (seeds 000, 003),
    # return ids like RT11381010 and PO numbers like 4042640641 (seed 002).
    def pob_id(self, seq: int) -> str:
        return "DV" + self._alnum("pob", seq, 6)

    def seller_id(self, seq: int) -> str:
        return "SL" + self._digits("seller", seq, 6)

    def order_id(self, seq: int) -> str:
        return "FN" + self._digits("order", seq, 10)

    def order_item_id(self, seq: int) -> str:
        return self._digits("order_item", seq, 17)

    def return_order_id(self, seq: int) -> str:
        return "RT" + self._digits("return", seq, 8)

    def return_item_id(self, seq: int) -> str:
        return "RI" + self._digits("return_item", seq, 12)

    def po_number(self, seq: int) -> str:
        return "40" + self._digits("po", seq, 8)

    def manifest_id(self, seq: int) -> str:
        return "MF" + self._digits("manifest", seq, 10)

    def document_id(self, seq: int) -> str:
        return "DOC" + self._alnum("document", seq, 12)

    def b2c_invoice_number(self, seq: int) -> str:
        return "AJ" + self._digits("b2c_invoice", seq, 12)

    def password(self, seq: int) -> str:
        # Reproducible per seed so a demo world prints the same credentials on every start.
        return "pw-" + hashlib.sha256(f"{self.seed}:password:{seq}".encode()).hexdigest()[:16]

    def irn(self, document_number: str, seller_gstin: str) -> str:
        # A real IRN is the SHA-256 of GSTIN + financial year + doc type + doc number.
        return hashlib.sha256(f"{seller_gstin}:{document_number}:{self.seed}".encode()).hexdigest()

    @staticmethod
    def token() -> str:
        # Tokens are secrets, not reproducible data: never derive them from the seed.
        return secrets.token_urlsafe(32)
