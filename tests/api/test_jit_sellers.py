"""JIT sellers (seed 001 prerequisites and channel settings), auth per model, SKU pull."""
from __future__ import annotations

import pytest
from dsworld import assert_error

from fixtures.jitworld import JitWorld

EINV = "JIT-EINVOICING-CREDENTIALS"


def test_create_jit_seller_with_einvoicing_and_credentials(sim):
    """Seed 001 prerequisites: with e-invoicing YES, the e-invoicing username and password are given."""
    r = sim.control("POST", "/sellers", {"model": "jit", "einvoicing": True, "einvoicing_username": "einv-user",
                                         "einvoicing_password": "einv-pass"}, expect=201)
    assert r.json["model"] == "jit" and r.json["einvoicing"] is True
    assert r.json["einvoicing_username"] == "einv-user"


@pytest.mark.parametrize("missing", ["einvoicing_username", "einvoicing_password"])
def test_create_jit_seller_einvoicing_without_credentials_refused(sim, missing):
    """Seed 001 prerequisites: e-invoicing credentials are mandatory when e-invoicing is enabled."""
    body = {"model": "jit", "einvoicing": True, "einvoicing_username": "u", "einvoicing_password": "p"}
    del body[missing]
    assert_error(sim.control("POST", "/sellers", body), 400, field=missing, rule=EINV)
    assert [p for p in sim.control("GET", "/sellers").json["sellers"] if p["model"] == "jit"] == []


def test_create_jit_seller_einvoicing_blank_credentials_refused(sim):
    """Seed 001 prerequisites: a blank username is no username."""
    body = {"model": "jit", "einvoicing": True, "einvoicing_username": "  ", "einvoicing_password": "p"}
    assert_error(sim.control("POST", "/sellers", body), 400, field="einvoicing_username", rule=EINV)


@pytest.mark.parametrize("given", ["einvoicing_username", "einvoicing_password"])
def test_create_jit_seller_credentials_without_einvoicing_refused(sim, given):
    """Seed 001 prerequisites: without e-invoicing the credentials must be left blank."""
    r = sim.control("POST", "/sellers", {"model": "jit", "einvoicing": False, given: "x"})
    assert_error(r, 400, field=given, rule=EINV)
    assert sim.control("GET", "/sellers").json["sellers"] == []


def test_create_jit_seller_blank_credentials_without_einvoicing_accepted(sim):
    """Seed 001 prerequisites: "else leave it as Blank" - blank strings are what a form sends."""
    r = sim.control("POST", "/sellers", {"model": "jit", "einvoicing_username": "", "einvoicing_password": ""},
                    expect=201)
    assert "einvoicing_username" not in r.json


def test_create_jit_seller_ready_to_ship_default_manifest_and_bad_value(sim):
    """Seed 001 row 5: ready to ship at pack or at manifest (default manifest); anything else is a 400."""
    assert sim.control("POST", "/sellers", {"model": "jit"}, expect=201).json["ready_to_ship_at"] == "manifest"
    assert sim.control("POST", "/sellers", {"model": "jit", "ready_to_ship_at": "pack"},
                       expect=201).json["ready_to_ship_at"] == "pack"
    assert_error(sim.control("POST", "/sellers", {"model": "jit", "ready_to_ship_at": "label"}), 400,
                 field="ready_to_ship_at")


def test_jit_token_refused_on_ds_and_ds_token_on_jit(sim):
    """API.md: a POB is enabled for one model."""
    world = JitWorld.new(sim)
    r = sim.http("GET", "/ds/orders/pendency", headers={"apiKey": world.token})
    assert_error(r, 401, message="jit model")
    ds = sim.seller()
    r = sim.http("POST", "/jit/authToken", json_body={"username": ds["pob_id"], "password": ds["password"]})
    assert_error(r, 401, message="not jit")


def test_jit_call_without_token_401(sim):
    assert_error(sim.http("GET", "/jit/orders/pendency"), 401, field="apiKey")


def test_sku_pull_maps_sku_code_and_product_id_tilde_variant_id(sim):
    """Seed 001 channel mappings: AJIO's SKU code and ProductId~VariantId are pulled for every SKU."""
    world = JitWorld.new(sim)
    page = world.ok("GET", "/products?size=50")
    assert page["page"]["totalElements"] == 20
    for p in page["products"]:
        assert p["channel_product_id"] == f"{p['product_id']}~{p['variant_id']}"
        assert p["sku_code"] and len(p["ean"]) == 13 and p["variant_id"].startswith(p["product_id"])


def test_sku_pull_moderation_mode_filters_and_pending_skus_are_never_ordered(sim):
    """Seed 001 row 1: SKU pull in moderation mode; only approved SKUs appear on POs."""
    world = JitWorld.new(sim)
    pending = world.ok("GET", "/products?moderationStatus=PENDING")["products"]
    approved = world.ok("GET", "/products?moderationStatus=APPROVED&size=50")["products"]
    assert pending and approved and {p["moderation_status"] for p in pending} == {"PENDING"}
    r = sim.control("POST", "/jit/orders", {"pob_id": world.pob_id, "lines": [{"sku": pending[0]["sku_code"]}]})
    assert_error(r, 400, field="lines[0].sku", rule="JIT-SKU-MAPPING")
    for order_id in sim.control("POST", "/jit/orders", {"pob_id": world.pob_id, "count": 20, "seed": 3},
                                expect=201).json["order_ids"]:
        assert {l["sku_code"] for l in world.po(order_id)["order_lines"]} <= {p["sku_code"] for p in approved}


def test_sku_pull_bad_query_names_parameter(sim):
    world = JitWorld.new(sim)
    assert_error(world.jit("GET", "/products?moderationStatus=LIVE"), 400, field="moderationStatus")
    assert_error(world.jit("GET", "/products?size=51"), 400, field="size")
    assert_error(world.jit("GET", "/products?colour=red"), 400, field="colour")


def test_ready_to_ship_at_refused_for_a_ds_seller(sim):
    assert_error(sim.control("POST", "/sellers", {"model": "ds", "ready_to_ship_at": "pack"}), 400,
                 field="ready_to_ship_at")


def test_moderation_knob_makes_a_pending_sku_orderable(sim):
    """Seed 001 row 1: a SKU approved in moderation shows APPROVED on the next pull and can be ordered."""
    world = JitWorld.new(sim)
    sku = world.ok("GET", "/products?moderationStatus=PENDING")["products"][0]["sku_code"]
    assert_error(sim.control("POST", "/jit/orders", {"pob_id": world.pob_id, "lines": [{"sku": sku}]}), 400)
    sim.control("POST", "/jit/moderation", {"pob_id": world.pob_id, "sku": sku, "moderation_status": "APPROVED"},
                expect=200)
    assert world.ok("GET", f"/products?sku={sku}")["products"][0]["moderation_status"] == "APPROVED"
    sim.control("POST", "/jit/orders", {"pob_id": world.pob_id, "lines": [{"sku": sku}]}, expect=201)
    assert_error(sim.control("POST", "/jit/moderation", {"pob_id": world.pob_id, "sku": "NOPE",
                                                          "moderation_status": "APPROVED"}), 400, field="sku")
    assert_error(sim.control("POST", "/jit/moderation", {"pob_id": world.pob_id, "sku": sku,
                                                          "moderation_status": "LIVE"}), 400, field="moderation_status")
