"""Seeded, reproducible Indian fake data (sellers, customers, catalogues, AWBs) and GST maths."""
from __future__ import annotations

import hashlib
import itertools
import random
import re
import threading
from decimal import ROUND_HALF_UP, Decimal

from faker import Faker

from simulator.datagen_tables import (
    BRAND_TABLE,
    BUILDINGS,
    CATEGORY_TABLE,
    CITIES,
    COLOURS_BY_CATEGORY,
    COLOURS_GENERAL,
    DISCOUNT_WEIGHTS,
    DISCOUNTS,
    EMAIL_DOMAINS,
    LANDMARKS,
    LEGAL_FORMS,
    NAME_PARTS,
    SELLER_AREAS,
    SELLER_HUBS,
    SELLER_STEMS,
    SELLER_TRADES,
    STATE_CODES,
)

CATEGORIES: tuple[str, ...] = tuple(CATEGORY_TABLE)
CARRIERS: tuple[str, ...] = ("Delhivery", "Ecom Express", "XpressBees", "Blue Dart", "Shadowfax")
BRANDS: tuple[str, ...] = tuple(BRAND_TABLE)
HSN_BY_CATEGORY: dict[str, str] = {name: row[0] for name, row in CATEGORY_TABLE.items()}
SIZES_BY_CATEGORY: dict[str, tuple[str, ...]] = {n: row[2] for n, row in CATEGORY_TABLE.items()}

# Rough shipment shares of the carriers on Indian fashion marketplaces.
_CARRIER_CUM = tuple(itertools.accumulate((35, 20, 20, 10, 15)))

# Shapes are approximations from labels seen in the wild, not carrier specifications:
# (prefix, first value, number of values, zero-padded width, suffix). Where the first digit
# is never 0 on real labels the range starts at 10**(width-1).
_AWB_SHAPES: dict[str, tuple[str, int, int, int, str]] = {
    "Delhivery": ("", 10**13, 9 * 10**13, 14, ""),       # 14 digits
    "Ecom Express": ("", 10**9, 9 * 10**9, 10, ""),      # 10 digits
    "XpressBees": ("14", 0, 10**12, 12, ""),             # 14 digits, starts "14"
    "Blue Dart": ("", 10**10, 9 * 10**10, 11, ""),       # 11 digits
    "Shadowfax": ("SF", 0, 10**10, 10, "AJO"),           # SF + 10 digits + client code
}

_GST2_START = 1758479400         # 2025-09-22 00:00 IST: GST 2.0 slabs take effect
_FOOTWEAR_HIKE_START = 1640975400  # 2022-01-01 00:00 IST: footwear <= Rs 1000 went 5% -> 12%

_GSTIN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_GSTIN_SHAPE = re.compile(r"\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]")
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_CITY_CUM = tuple(itertools.accumulate(row[4] for row in CITIES))
_CITY_BY_NAME = {row[0]: row for row in CITIES}
_HUB_ROWS = tuple(_CITY_BY_NAME[name] for name in SELLER_HUBS)
_HUB_CUM = tuple(itertools.accumulate(SELLER_HUBS.values()))
_FORM_CUM = tuple(itertools.accumulate(row[2] for row in LEGAL_FORMS))
_DISCOUNT_CUM = tuple(itertools.accumulate(DISCOUNT_WEIGHTS))
_DOMAINS = tuple(d for d, _ in EMAIL_DOMAINS)
_DOMAIN_CUM = tuple(itertools.accumulate(w for _, w in EMAIL_DOMAINS))
# Jio-era numbering: 9/8/7 series dominate, the 6 series is newer and thinner.
_MOBILE_FIRST = "9876"
_MOBILE_CUM = (40, 70, 90, 100)

_local = threading.local()


def _faker(seed: int) -> Faker:
    # One Faker per thread: building one costs milliseconds, and reseeding a shared one from
    # two threads at once would interleave their random streams.
    fk = getattr(_local, "faker", None)
    if fk is None:
        fk = _local.faker = Faker("en_IN")
    fk.seed_instance(seed)
    return fk


def _key_text(key: int | str) -> str:
    # The type is part of the key so 7 and "7" are distinct keys, as they are in awb().
    if isinstance(key, bool) or not isinstance(key, (int, str)):
        raise TypeError(f"key must be int or str, not {type(key).__name__}")
    return f"{'i' if isinstance(key, int) else 's'}:{key}"


def _derive(seed: int, *parts: str) -> int:
    text = "\x1f".join((str(seed), *parts))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


# ---------------------------------------------------------------------------- check digits

def ean13_check_digit(first12: str) -> str:
    if len(first12) != 12 or not (first12.isascii() and first12.isdigit()):
        raise ValueError(f"need 12 digits, got {first12!r}")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str(-total % 10)


def is_valid_ean13(code: str) -> bool:
    if not isinstance(code, str) or len(code) != 13 or not (code.isascii() and code.isdigit()):
        return False
    return ean13_check_digit(code[:12]) == code[12]


def gstin_check_char(first14: str) -> str:
    if len(first14) != 14 or any(c not in _GSTIN_ALPHABET for c in first14):
        raise ValueError(f"need 14 characters of 0-9A-Z, got {first14!r}")
    total = 0
    for i, c in enumerate(first14):
        product = _GSTIN_ALPHABET.index(c) * (2 if i % 2 else 1)
        total += product // 36 + product % 36
    return _GSTIN_ALPHABET[-total % 36]


def is_valid_gstin(gstin: str) -> bool:
    if not isinstance(gstin, str) or not _GSTIN_SHAPE.fullmatch(gstin):
        return False
    # 01-38 are states/UTs, 97 "other territory", 99 centre jurisdiction.
    state = int(gstin[:2])
    if not (1 <= state <= 38 or state in (97, 99)):
        return False
    return gstin_check_char(gstin[:14]) == gstin[14]


# ---------------------------------------------------------------------------- GST maths

def gst_rate_for_hsn(hsn: str, unit_price: float, on: int) -> float | None:
    """GST percent for one piece of a product of this HSN code whose value per piece (excluding GST) is
    `unit_price`, on `on`; None for an HSN chapter whose slabs the simulator does not know.

    Apparel and made-ups (chapters 61-63) and footwear (64) follow price bands; bags (4202) are 18 %;
    jewellery (7113, 7117) 3 %."""
    if hsn.startswith("4202"):
        return 18.0
    if hsn.startswith(("7113", "7117")):
        return 3.0
    if not hsn.startswith(("61", "62", "63", "64")):
        return None
    if on >= _GST2_START:
        return 5.0 if unit_price <= 2500 else 18.0
    if hsn.startswith("64"):
        # Footwear never followed the apparel 5/12 split: it was 5/18, and 12/18 from 2022.
        low = 12.0 if on >= _FOOTWEAR_HIKE_START else 5.0
        return low if unit_price <= 1000 else 18.0
    return 5.0 if unit_price <= 1000 else 12.0


def gst_rate(category: str, unit_price: float, on: int) -> float:
    """GST percent for one piece of `category` whose value per piece is `unit_price`, on `on`.

    The slabs are defined on the sale value per piece/pair excluding GST, so pass the taxable
    value; gst_rate_for_price_incl_tax() handles tax-inclusive prices such as selling_price.
    """
    hsn = HSN_BY_CATEGORY.get(category)
    if hsn is None:
        raise ValueError(f"unknown category {category!r}")
    return gst_rate_for_hsn(hsn, unit_price, on)


def gst_rate_for_price_incl_tax(category: str, price_incl_tax: float, on: int) -> float:
    """gst_rate() for a tax-inclusive price: the lower slab applies only if the price net of
    that lower rate is within its band; otherwise (including the gap just above the band,
    where neither rate is self-consistent) the higher rate applies, as marketplaces do."""
    hsn = HSN_BY_CATEGORY.get(category)
    if hsn is None:
        raise ValueError(f"unknown category {category!r}")
    return gst_rate_for_hsn_price_incl_tax(hsn, price_incl_tax, on)


def gst_rate_for_hsn_price_incl_tax(hsn: str, price_incl_tax: float, on: int) -> float:
    """gst_rate_for_price_incl_tax() by HSN code (a seller's own catalogue names no category of ours)."""
    high = gst_rate_for_hsn(hsn, price_incl_tax, on)
    if high is None:
        raise ValueError(f"HSN {hsn!r}: no GST slab known for its chapter")
    low = gst_rate_for_hsn(hsn, price_incl_tax / (1 + high / 100), on)
    if low != high and gst_rate_for_hsn(hsn, price_incl_tax / (1 + low / 100), on) == low:
        return low
    return high


def _paise(amount: Decimal) -> int:
    return int(amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def split_tax(amount_incl_tax: float, rate: float, intra_state: bool) -> dict:
    """Back out GST from a tax-inclusive amount. Works in whole paise, so taxable_value + tax
    == total and cgst + sgst == tax exactly (compare as Decimal(str(x)), as with any float)."""
    total = _paise(Decimal(str(amount_incl_tax)) * 100)
    r = Decimal(str(rate))
    if intra_state:
        # CGST and SGST are each levied at rate/2 on the same value, so they are always equal;
        # any odd paisa goes to the taxable value instead of making the halves differ.
        cgst = sgst = _paise(total * r / 2 / (100 + r))
        igst = 0
    else:
        cgst = sgst = 0
        igst = _paise(total * r / (100 + r))
    tax = cgst + sgst + igst
    return {
        "taxable_value": (total - tax) / 100,
        "cgst": cgst / 100,
        "sgst": sgst / 100,
        "igst": igst / 100,
        "tax": tax / 100,
        "total": total / 100,
    }


# ---------------------------------------------------------------------------- generator

class DataGen:
    """Output depends only on (seed, key): never on call order, so records are reproducible
    even when many threads/processes create them concurrently."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def _rng(self, method: str, *parts: str) -> random.Random:
        return random.Random(_derive(self.seed, method, *parts))

    def _address(self, rng: random.Random, row: tuple, line1: str, line2: str) -> dict:
        city, state, lo, hi, _ = row
        return {"line1": line1, "line2": line2, "city": city, "state": state,
                "pincode": str(rng.randint(lo, hi))}

    def seller(self, key: int | str) -> dict:
        rng = self._rng("seller", _key_text(key))
        fk = _faker(rng.getrandbits(64))
        form, pan_type, _ = rng.choices(LEGAL_FORMS, cum_weights=_FORM_CUM)[0]
        stem = rng.choice(SELLER_STEMS) if rng.random() < 0.75 else fk.last_name()
        name = " ".join(p for p in (stem, rng.choice(SELLER_TRADES), form) if p)
        # PAN 5th letter: a proprietor's surname initial, otherwise the entity name's initial.
        initial = fk.last_name()[0].upper() if pan_type == "P" else name[0].upper()
        pan = ("A" if rng.random() < 0.8 else "B") + "".join(rng.choices(_UPPER, k=2)) \
            + pan_type + initial + f"{rng.randint(1, 9999):04d}" + rng.choice(_UPPER)
        row = rng.choices(_HUB_ROWS, cum_weights=_HUB_CUM)[0]
        state_code = STATE_CODES[row[1]]
        # A second registration in the same state (entity number 2) is uncommon but real.
        first14 = state_code + pan + ("1" if rng.random() < 0.9 else "2") + "Z"
        line1 = rng.choice(("Plot No. {n}", "Shed No. {n}", "Unit {n}, Ground Floor",
                            "Gala No. {n}")).format(n=rng.randint(1, 240))
        line2 = f"{fk.street_name()}, {rng.choice(SELLER_AREAS)}"
        return {
            "seller_name": name,
            "gstin": first14 + gstin_check_char(first14),
            "address": self._address(rng, row, line1, line2),
            "state_code": state_code,
        }

    def customer(self, key: int | str) -> dict:
        rng = self._rng("customer", _key_text(key))
        fk = _faker(rng.getrandbits(64))
        first, last = fk.first_name(), fk.last_name()
        phone = rng.choices(_MOBILE_FIRST, cum_weights=_MOBILE_CUM)[0] \
            + f"{rng.randrange(10**9):09d}"
        f, l = re.sub("[^a-z]", "", first.lower()), re.sub("[^a-z]", "", last.lower())
        local = rng.choice((f"{f}.{l}", f"{f}{l}{rng.randint(1, 99)}", f"{f}_{rng.randint(70, 99)}",
                            f"{f[0]}{l}{rng.randint(1, 999)}", f"{f}.{l}{rng.randint(1990, 2006)}"))
        email = f"{local}@{rng.choices(_DOMAINS, cum_weights=_DOMAIN_CUM)[0]}"
        row = rng.choices(CITIES, cum_weights=_CITY_CUM)[0]
        style = rng.randrange(3)
        if style == 0:
            line1 = f"Flat {rng.randint(1, 14)}{rng.randint(1, 8):02d}, {rng.choice(BUILDINGS)}"
        elif style == 1:
            line1 = f"H.No. {rng.randint(1, 12)}-{rng.randint(1, 9)}-{rng.randint(1, 400)}"
        else:
            line1 = f"{rng.randint(1, 300)}/{rng.randint(1, 40)}, {fk.street_name()}"
        line2 = f"{fk.street_name()}, {rng.choice(LANDMARKS)}"
        return {
            "name": f"{first} {last}",
            "phone": phone,
            "email": email,
            "address": self._address(rng, row, line1, line2),
            "state_code": STATE_CODES[row[1]],
        }

    def catalog(self, key: int | str, count: int) -> list[dict]:
        """`count` variants, a few sizes per style. A longer catalogue for the same key starts
        with the shorter one. Prices are tax-inclusive, as on the storefront."""
        if not 0 <= count <= 100_000:
            raise ValueError("count must be between 0 and 100000")  # the EAN item-reference space
        rng = self._rng("catalog", _key_text(key))
        brands = rng.sample(BRANDS, k=rng.choice((1, 2, 2, 3, 3)))
        offer = [(b, c) for b in brands for c in BRAND_TABLE[b][2]]
        # GS1 India allots a company prefix (890 + 4 digits here), the seller numbers items.
        gs1 = f"890{rng.randrange(10**4):04d}"
        item_start = rng.randrange(100_000)
        style_no = rng.randint(1000, 4999)
        product_id = rng.randint(400_000_000, 469_999_999)
        out: list[dict] = []
        while len(out) < count:
            # Every draw for a style happens before any variant is emitted, so truncating at
            # `count` cannot shift the random stream: catalog(k, 20) == catalog(k, 30)[:20].
            brand, category = rng.choice(offer)
            brand_code, factor, _ = BRAND_TABLE[brand]
            hsn, cat_code, all_sizes, (lo, hi), gender = CATEGORY_TABLE[category]
            colour, colour_code = rng.choice(COLOURS_BY_CATEGORY.get(category, COLOURS_GENERAL))
            fits, features, nouns = NAME_PARTS[category]
            name = " ".join(p for p in (gender, rng.choice(fits), rng.choice(features),
                                        rng.choice(nouns)) if p)
            mrp = int(rng.randint(lo, hi) * factor) // 100 * 100 + 99
            discount = rng.choices(DISCOUNTS, cum_weights=_DISCOUNT_CUM)[0]
            price_paise = mrp * (100 - discount)  # whole rupees x whole percent: exact paise
            # Sellers list a contiguous run of sizes rather than a random scatter.
            n = rng.randint(min(3, len(all_sizes)), len(all_sizes))
            first = rng.randint(0, len(all_sizes) - n)
            style_code = f"{brand_code}-{cat_code}-{style_no}-{colour_code}"
            for index in range(first, first + n):
                if len(out) == count:
                    break
                size = all_sizes[index]
                ean12 = gs1 + f"{(item_start + len(out)) % 100_000:05d}"
                out.append({
                    "sku": f"{style_code}-{'FS' if size == 'Free Size' else size}",
                    "ean": ean12 + ean13_check_digit(ean12),
                    "style_code": style_code,
                    "product_id": str(product_id),
                    "variant_id": f"{product_id}{index + 1:03d}",
                    "name": name,
                    "brand_name": brand,
                    "category": category,
                    "color": colour,
                    "size": size,
                    "hsn": hsn,
                    "mrp": float(mrp),
                    "selling_price": price_paise / 100,
                })
            style_no += rng.randint(1, 9)
            product_id += rng.randint(1, 997)
        return out

    def pick_carrier(self, key: int | str) -> str:
        rng = self._rng("carrier", _key_text(key))
        return rng.choices(CARRIERS, cum_weights=_CARRIER_CUM)[0]

    def awb(self, carrier: str, key: int | str) -> str:
        """For int keys this is a bijection onto the carrier's number space (a keyed affine map,
        as in simulator.ids), so distinct order numbers never share an AWB; str keys are hashed
        into the same space and may, very rarely, collide."""
        shape = _AWB_SHAPES.get(carrier)
        if shape is None:
            raise ValueError(f"unknown carrier {carrier!r}; expected one of {CARRIERS}")
        prefix, first, size, width, suffix = shape
        text = _key_text(key)
        if isinstance(key, int):
            a = _derive(self.seed, "awb-a", carrier) % size
            while a % 2 == 0 or a % 3 == 0 or a % 5 == 0:  # every size is 2^i 3^j 5^k
                a += 1
            b = _derive(self.seed, "awb-b", carrier)
            n = (a * key + b) % size
        else:
            n = _derive(self.seed, "awb", carrier, text) % size
        return f"{prefix}{first + n:0{width}d}{suffix}"
