"""Unit tests for simulator.datagen: reproducibility, identifier validity and GST maths."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from decimal import Decimal

import pytest

from simulator.datagen import (
    BRANDS,
    CARRIERS,
    CATEGORIES,
    DataGen,
    ean13_check_digit,
    gst_rate,
    gst_rate_for_price_incl_tax,
    gstin_check_char,
    is_valid_ean13,
    is_valid_gstin,
    split_tax,
)
from simulator.datagen_tables import CITIES, STATE_CODES

SEED = 20250922
BEFORE_GST2 = 1758479399  # 2025-09-21 23:59:59 IST
FROM_GST2 = 1758479400    # 2025-09-22 00:00:00 IST
IN_2021 = 1625097600      # 2021-07-01, before the footwear hike
IN_2024 = 1717200000      # 2024-06-01

CITY_ROWS = {row[0]: row for row in CITIES}
STATE_BY_CODE = {code: state for state, code in STATE_CODES.items()}


@pytest.fixture(scope="module")
def gen() -> DataGen:
    return DataGen(SEED)


@pytest.fixture(scope="module")
def products(gen) -> list[dict]:
    # Many keys so every category shows up at least once.
    return [p for k in range(40) for p in gen.catalog(k, 25)]


def dec(x: float) -> Decimal:
    return Decimal(str(x))


# ---------------------------------------------------------------- determinism

@pytest.mark.parametrize("method", ["seller", "customer", "pick_carrier"])
def test_record_same_seed_and_key_is_identical(method):
    assert getattr(DataGen(SEED), method)(17) == getattr(DataGen(SEED), method)(17)


def test_catalog_same_seed_and_key_is_identical():
    assert DataGen(SEED).catalog("seller-9", 30) == DataGen(SEED).catalog("seller-9", 30)


def test_awb_same_seed_and_key_is_identical():
    assert DataGen(SEED).awb("Delhivery", 17) == DataGen(SEED).awb("Delhivery", 17)


@pytest.mark.parametrize("method", ["seller", "customer"])
def test_record_different_key_differs(gen, method):
    assert getattr(gen, method)(1) != getattr(gen, method)(2)


def test_catalog_different_key_differs(gen):
    assert gen.catalog(1, 10) != gen.catalog(2, 10)


@pytest.mark.parametrize("method", ["seller", "customer"])
def test_record_different_seed_differs(method):
    assert getattr(DataGen(1), method)(5) != getattr(DataGen(2), method)(5)


def test_record_int_and_str_key_are_distinct(gen):
    assert gen.customer(7) != gen.customer("7")


def test_record_call_order_does_not_matter():
    forward, backward = DataGen(SEED), DataGen(SEED)
    keys = list(range(12))
    first = {k: (forward.customer(k), forward.seller(k), forward.awb("Blue Dart", k)) for k in keys}
    second = {k: (backward.customer(k), backward.seller(k), backward.awb("Blue Dart", k))
              for k in reversed(keys)}
    assert first == second


def test_record_unaffected_by_interleaved_calls():
    quiet, busy = DataGen(SEED), DataGen(SEED)
    expected = quiet.customer(99)
    busy.catalog(3, 50)
    busy.seller(99)
    busy.customer(98)
    assert busy.customer(99) == expected


def test_catalog_longer_count_extends_shorter(gen):
    assert gen.catalog(4, 30)[:20] == gen.catalog(4, 20)


def test_record_threads_generating_same_key_agree():
    gen, results, errors = DataGen(SEED), [], []
    barrier = threading.Barrier(16)

    def work():
        try:
            barrier.wait()
            for _ in range(20):
                results.append((gen.customer(42), gen.seller(42), gen.catalog(42, 5)))
        except Exception as exc:  # noqa: BLE001 - re-raised in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 320
    assert all(r == results[0] for r in results)
    assert results[0] == (DataGen(SEED).customer(42), DataGen(SEED).seller(42),
                          DataGen(SEED).catalog(42, 5))


def test_record_threads_generating_distinct_keys_match_sequential():
    gen, out = DataGen(SEED), {}

    def work(k):
        out[k] = gen.customer(k)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {k: DataGen(SEED).customer(k) for k in range(24)}


def test_record_same_in_processes_with_different_hash_seeds():
    # Guards against Python's per-process hash() or set ordering leaking into the output.
    code = ("from simulator.datagen import DataGen; g = DataGen(5); print(repr((g.customer(3), "
            "g.seller(3), g.catalog(3, 12), g.awb('Ecom Express', 'o3'))))")
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env, check=True, cwd=os.path.dirname(os.path.dirname(
                                 os.path.dirname(os.path.abspath(__file__)))))
        outputs.add(run.stdout)
    assert len(outputs) == 1
    g = DataGen(5)
    assert outputs.pop().strip() == repr((g.customer(3), g.seller(3), g.catalog(3, 12),
                                          g.awb("Ecom Express", "o3")))


@pytest.mark.parametrize("key", [True, 1.5, None], ids=["bool", "float", "none"])
def test_record_non_int_or_str_key_raises(gen, key):
    with pytest.raises(TypeError):
        gen.customer(key)


# ---------------------------------------------------------------- EAN-13

@pytest.mark.parametrize("code", [
    "4006381333931",  # the EAN-13 worked example on Wikipedia (a Stabilo pen)
    "8901719101038",  # 890 (GS1 India) prefix
    "0000000000000",
], ids=["wikipedia", "india-890", "zeros"])
def test_is_valid_ean13_accepts_correct_check_digit(code):
    assert is_valid_ean13(code)


@pytest.mark.parametrize("code", [
    "4006381333932",    # check digit off by one
    # 8,9,0,1,0,3,0,8,6,5,2,7 -> odd positions 8+0+0+0+6+2=16, even 9+1+3+8+5+7=33*3=99,
    # 115 -> check digit 5, so this commonly quoted code is not a valid EAN-13.
    "8901030865278",
    "400638133393",     # too short
    "40063813339311",   # too long
    "400638133393A",
], ids=["wrong-check", "wrong-check-890", "short", "long", "letter"])
def test_is_valid_ean13_rejects_bad_code(code):
    assert not is_valid_ean13(code)


def test_ean13_check_digit_known_value():
    assert ean13_check_digit("400638133393") == "1"


def test_ean13_check_digit_rejects_wrong_length():
    with pytest.raises(ValueError):
        ean13_check_digit("12345")


def test_catalog_eans_valid_indian_and_unique(products, gen):
    eans = [p["ean"] for p in gen.catalog(11, 500)]
    assert all(is_valid_ean13(e) and e.startswith("890") for e in eans)
    assert len(set(eans)) == len(eans)


# ---------------------------------------------------------------- GSTIN

# Hand computation for 27AAPFU0939F1ZV (alphabet 0-9A-Z, value = index, factors 1,2,1,2...,
# each product contributes product//36 + product%36):
#   2*1=2  7*2=14  A10*1=10  A10*2=20  P25*1=25  F15*2=30  U30*1=30  0*2=0  9*1=9  3*2=6
#   9*1=9  F15*2=30  1*1=1  Z35*2=70 -> 1+34=35;  sum = 221;  221 % 36 = 5;  36-5 = 31 -> 'V'
KNOWN_GSTIN = "27AAPFU0939F1ZV"


def test_gstin_check_char_matches_hand_computation():
    assert gstin_check_char(KNOWN_GSTIN[:14]) == "V"


def test_is_valid_gstin_accepts_known_example():
    assert is_valid_gstin(KNOWN_GSTIN)


@pytest.mark.parametrize("gstin", [
    "27AAPFU0939F1ZW",   # check character changed
    "29AAPFU0939F1ZV",   # state changed, check not recomputed
    "27AAPFU0938F1ZV",   # PAN digit changed
    "27aapfu0939f1zv",   # lower case
    "27AAPFU0939F1YV",   # 14th character must be Z
    "27AAPFU0939F0ZV",   # entity number 0 does not exist
    "27AAPFU0939F1Z",    # too short
], ids=["check", "state", "pan", "lowercase", "not-z", "entity-0", "short"])
def test_is_valid_gstin_rejects_tampered(gstin):
    assert not is_valid_gstin(gstin)


def test_is_valid_gstin_rejects_unknown_state_code():
    first14 = "45AAPFU0939F1Z"
    assert not is_valid_gstin(first14 + gstin_check_char(first14))


def test_seller_gstin_valid(gen):
    assert all(is_valid_gstin(gen.seller(k)["gstin"]) for k in range(200))


def test_seller_gstin_state_matches_address_state(gen):
    for k in range(200):
        s = gen.seller(k)
        assert s["gstin"][:2] == s["state_code"] == STATE_CODES[s["address"]["state"]]


def test_seller_gstin_pan_entity_type_matches_legal_form(gen):
    for k in range(200):
        s = gen.seller(k)
        entity = s["gstin"][5]
        if s["seller_name"].endswith(("Pvt Ltd", "Private Limited")):
            assert entity == "C"
        elif s["seller_name"].endswith(("LLP", "& Co")):
            assert entity == "F"
        else:
            assert entity == "P"


# ---------------------------------------------------------------- customers and addresses

def test_customer_phone_is_indian_mobile(gen):
    for k in range(300):
        assert re.fullmatch(r"[6-9]\d{9}", gen.customer(k)["phone"])


def test_customer_email_shape(gen):
    for k in range(300):
        assert re.fullmatch(r"[a-z0-9._]+@[a-z.]+\.[a-z]+", gen.customer(k)["email"])


@pytest.mark.parametrize("method", ["customer", "seller"])
def test_address_pincode_consistent_with_city(gen, method):
    for k in range(300):
        record = getattr(gen, method)(k)
        a = record["address"]
        city, state, lo, hi, _ = CITY_ROWS[a["city"]]
        assert a["state"] == state
        assert re.fullmatch(r"\d{6}", a["pincode"])
        assert a["pincode"].startswith(str(lo)[:3])
        assert lo <= int(a["pincode"]) <= hi
        assert record["state_code"] == STATE_CODES[state]


def test_city_table_ranges_share_prefix_and_known_state():
    for city, state, lo, hi, weight in CITIES:
        assert str(lo)[:3] == str(hi)[:3] and lo <= hi and weight > 0, city
        assert state in STATE_CODES, city


def test_city_table_has_about_forty_cities():
    assert 35 <= len(CITIES) <= 60


def test_customer_addresses_cover_many_states(gen):
    assert len({gen.customer(k)["address"]["state"] for k in range(500)}) >= 15


# ---------------------------------------------------------------- catalogue

EXPECTED_HSN = {
    "Men T-Shirts": "61091000",
    "Men Shirts": "62052000",
    "Men Jeans": "62034200",
    "Men Sweatshirts": "61102000",
    "Women Dresses": "62044300",
    "Women Trousers": "61046200",
    "Men Casual Shoes": "64041990",
    "Women Handbags": "42022210",
}
TOPS = {"S", "M", "L", "XL", "XXL", "XS"}
EXPECTED_SIZES = {
    "Men T-Shirts": TOPS,
    "Men Shirts": TOPS,
    "Men Sweatshirts": TOPS,
    "Women Dresses": TOPS,
    "Women Trousers": TOPS,
    "Men Jeans": {str(w) for w in range(28, 41, 2)},
    "Men Casual Shoes": {f"UK{n}" for n in range(6, 12)},
    "Women Handbags": {"Free Size"},
}


def test_categories_all_have_expected_hsn():
    assert set(CATEGORIES) == set(EXPECTED_HSN)


def test_catalog_returns_requested_count(gen):
    assert len(gen.catalog(5, 37)) == 37
    assert gen.catalog(5, 0) == []


def test_catalog_count_out_of_range_raises(gen):
    with pytest.raises(ValueError):
        gen.catalog(5, -1)


def test_catalog_covers_every_category(products):
    assert {p["category"] for p in products} == set(CATEGORIES)


@pytest.mark.parametrize("category", sorted(EXPECTED_HSN))
def test_catalog_hsn_matches_category(products, category):
    hsns = {p["hsn"] for p in products if p["category"] == category}
    assert hsns == {EXPECTED_HSN[category]}


@pytest.mark.parametrize("category", sorted(EXPECTED_SIZES))
def test_catalog_sizes_realistic_for_category(products, category):
    sizes = {p["size"] for p in products if p["category"] == category}
    assert sizes and sizes <= EXPECTED_SIZES[category]


def test_catalog_brands_are_known(products):
    assert {p["brand_name"] for p in products} <= set(BRANDS)


def test_catalog_mrp_not_below_selling_price(products):
    assert all(p["selling_price"] <= p["mrp"] for p in products)


def test_catalog_discount_at_most_sixty_percent(products):
    assert all(p["selling_price"] >= p["mrp"] * 0.4 - 0.005 for p in products)


def test_catalog_mrp_ends_in_99(products):
    assert all(p["mrp"] == int(p["mrp"]) and int(p["mrp"]) % 100 == 99 for p in products)


def test_catalog_selling_price_has_two_decimals_at_most(products):
    assert all(dec(p["selling_price"]) == dec(p["selling_price"]).quantize(Decimal("0.01"))
               for p in products)


@pytest.mark.parametrize("field", ["sku", "ean", "variant_id"])
def test_catalog_field_unique_within_list(gen, field):
    values = [p[field] for p in gen.catalog(8, 400)]
    assert len(set(values)) == len(values)


def test_catalog_styles_share_product_id_across_sizes(gen):
    items = gen.catalog(8, 400)
    by_style: dict[str, set] = {}
    for p in items:
        by_style.setdefault(p["style_code"], set()).add(p["product_id"])
    assert all(len(ids) == 1 for ids in by_style.values())
    assert len(by_style) < len(items)  # several sizes per style


def test_catalog_ids_shapes(products):
    for p in products:
        assert re.fullmatch(r"\d{9}", p["product_id"])
        assert re.fullmatch(re.escape(p["product_id"]) + r"\d{3}", p["variant_id"])
        assert p["sku"].startswith(p["style_code"] + "-")


# ---------------------------------------------------------------- GST

@pytest.mark.parametrize("category,price,on,expected", [
    ("Men T-Shirts", 1000.00, BEFORE_GST2, 5.0),
    ("Men T-Shirts", 1000.01, BEFORE_GST2, 12.0),
    ("Women Dresses", 2600.00, BEFORE_GST2, 12.0),
    ("Men T-Shirts", 1000.01, FROM_GST2, 5.0),
    ("Men Jeans", 2500.00, FROM_GST2, 5.0),
    ("Men Jeans", 2500.01, FROM_GST2, 18.0),
    ("Men Casual Shoes", 2500.00, FROM_GST2, 5.0),
    ("Men Casual Shoes", 2500.01, FROM_GST2, 18.0),
    ("Men Casual Shoes", 1000.00, IN_2024, 12.0),
    ("Men Casual Shoes", 1000.01, IN_2024, 18.0),
    ("Men Casual Shoes", 1000.00, IN_2021, 5.0),
    ("Women Handbags", 500.00, BEFORE_GST2, 18.0),
    ("Women Handbags", 500.00, FROM_GST2, 18.0),
], ids=[
    "apparel-old-1000", "apparel-old-1000.01", "apparel-old-2600", "apparel-new-1000.01",
    "apparel-new-2500", "apparel-new-2500.01", "footwear-new-2500", "footwear-new-2500.01",
    "footwear-2024-1000", "footwear-2024-1000.01", "footwear-2021-1000", "bags-old", "bags-new",
])
def test_gst_rate_band(category, price, on, expected):
    assert gst_rate(category, price, on) == expected


def test_gst_rate_unknown_category_raises():
    with pytest.raises(ValueError):
        gst_rate("Sarees", 500.0, FROM_GST2)


@pytest.mark.parametrize("price,on,expected", [
    (1050.00, BEFORE_GST2, 5.0),    # 1000.00 + 5%
    (1050.01, BEFORE_GST2, 12.0),
    (2625.00, FROM_GST2, 5.0),      # 2500.00 + 5%
    (2625.01, FROM_GST2, 18.0),
], ids=["old-edge", "old-above", "new-edge", "new-above"])
def test_gst_rate_for_price_incl_tax_band_edges(price, on, expected):
    assert gst_rate_for_price_incl_tax("Men T-Shirts", price, on) == expected


@pytest.mark.parametrize("amount,rate,intra", [
    (1299.0, 12.0, True), (1299.0, 12.0, False), (1049.5, 5.0, True), (0.01, 18.0, True),
    (999.99, 18.0, False), (2625.0, 5.0, True), (100.0, 0.0, True),
], ids=["1299-12-intra", "1299-12-inter", "1049.5-5-intra", "1-paisa", "999.99-18-inter",
        "2625-5-intra", "zero-rate"])
def test_split_tax_parts_sum_exactly(amount, rate, intra):
    t = split_tax(amount, rate, intra)
    assert dec(t["taxable_value"]) + dec(t["tax"]) == dec(t["total"]) == dec(amount)
    assert dec(t["cgst"]) + dec(t["sgst"]) + dec(t["igst"]) == dec(t["tax"])


def test_split_tax_intra_state_halves_cgst_sgst():
    t = split_tax(1299.0, 12.0, True)
    assert t == {"taxable_value": 1159.82, "cgst": 69.59, "sgst": 69.59, "igst": 0.0,
                 "tax": 139.18, "total": 1299.0}


def test_split_tax_inter_state_all_igst():
    t = split_tax(1299.0, 12.0, False)
    assert t == {"taxable_value": 1159.82, "cgst": 0.0, "sgst": 0.0, "igst": 139.18,
                 "tax": 139.18, "total": 1299.0}


def test_split_tax_rounds_half_paisa_up():
    # 2121 paise at 5%: each half is 2121 * 2.5 / 105 = 50.5 paise.
    t = split_tax(21.21, 5.0, True)
    assert (t["cgst"], t["sgst"], t["taxable_value"]) == (0.51, 0.51, 20.19)


def test_split_tax_every_paisa_amount_sums_exactly():
    for paise in range(1, 5001, 7):
        for rate in (5.0, 12.0, 18.0):
            for intra in (True, False):
                t = split_tax(paise / 100, rate, intra)
                assert dec(t["taxable_value"]) + dec(t["tax"]) == dec(t["total"])


# ---------------------------------------------------------------- carriers and AWBs

AWB_SHAPES = {
    "Delhivery": r"[1-9]\d{13}",
    "Ecom Express": r"[1-9]\d{9}",
    "XpressBees": r"14\d{12}",
    "Blue Dart": r"[1-9]\d{10}",
    "Shadowfax": r"SF\d{10}AJO",
}


def test_awb_shapes_cover_all_carriers():
    assert set(AWB_SHAPES) == set(CARRIERS)


@pytest.mark.parametrize("carrier", CARRIERS)
def test_awb_shape_per_carrier(gen, carrier):
    for key in [*range(200), "ORD-1", "ORD-2"]:
        assert re.fullmatch(AWB_SHAPES[carrier], gen.awb(carrier, key)), key


@pytest.mark.parametrize("carrier", CARRIERS)
def test_awb_distinct_for_distinct_int_keys(gen, carrier):
    awbs = [gen.awb(carrier, k) for k in range(20_000)]
    assert len(set(awbs)) == len(awbs)


# Size of each shape's number space; keys a half, third or fifth of it apart would collide if
# the int-key mapping were not a bijection.
AWB_SPACES = {"Delhivery": 9 * 10**13, "Ecom Express": 9 * 10**9, "XpressBees": 10**12,
              "Blue Dart": 9 * 10**10, "Shadowfax": 10**10}


@pytest.mark.parametrize("carrier", CARRIERS)
def test_awb_distinct_for_int_keys_far_apart(gen, carrier):
    space = AWB_SPACES[carrier]
    keys = [0, 1] + [space // d * m for d in (2, 3, 5) for m in range(1, d)]
    assert len({gen.awb(carrier, k) for k in keys}) == len(set(keys))


def test_awb_differs_by_carrier_and_seed(gen):
    assert gen.awb("Delhivery", 5) != gen.awb("Delhivery", 6)
    assert gen.awb("Delhivery", 5) != DataGen(SEED + 1).awb("Delhivery", 5)


@pytest.mark.parametrize("carrier", ["DTDC", "delhivery", ""], ids=["other", "lowercase", "empty"])
def test_awb_unknown_carrier_raises(gen, carrier):
    with pytest.raises(ValueError):
        gen.awb(carrier, 1)


def test_pick_carrier_returns_known_carrier(gen):
    picks = [gen.pick_carrier(k) for k in range(2000)]
    assert set(picks) == set(CARRIERS)


def test_pick_carrier_deterministic_per_key(gen):
    assert [gen.pick_carrier(k) for k in range(50)] == \
        [DataGen(SEED).pick_carrier(k) for k in reversed(range(50))][::-1]
