"""Auth: POB credentials, the 30-minute apiKey token, one POB per store code (API.md, seeds 000 and 003)."""
from __future__ import annotations

import re

import pytest
from dsworld import TOKEN_TTL, World, assert_error

# Every AJIO-facing /ds call, with a path that would otherwise be valid for a fresh POB.
DS_CALLS = [
    ("GET", "/ds/products", None),
    ("POST", "/ds/updateInventory", {"inventory": [{"sku": "X", "quantity": 1}]}),
    ("GET", "/ds/orders/pendency", None),
    ("POST", "/ds/orders", {"order_id": "FN0000000001", "status": "Acknowledge"}),
    ("GET", "/ds/orders", None),
    ("POST", "/ds/orders/FN0000000001/invoice", {}),
    ("POST", "/ds/orders/FN0000000001/label", {"weight_grams": 1, "length_cm": 1, "breadth_cm": 1, "height_cm": 1}),
    ("POST", "/ds/orders/dispatch", {"dispatchItems": [{"masterAWB": "A", "orderId": "B", "invoiceNo": "C"}]}),
    ("GET", "/ds/returns", None),
    ("POST", "/ds/return/rto", {"order_id": "FN0000000001", "order_items": []}),
    ("POST", "/ds/returns/RT00000001/qc", {"items": []}),
    ("GET", "/ds/returns/RT00000001/creditNote", None),
    ("GET", "/documents/DOC000000000001", None),
]
CALL_IDS = [f"{m} {p}" for m, p, _ in DS_CALLS]


def login(sim, username, password, path="/ds/authToken"):
    return sim.http("POST", path, json_body={"username": username, "password": password})


def test_create_seller_pob_ids_start_with_dv_and_are_alphanumeric(sim):
    """Seeds 000 and 003: the POB id (username) AJIO issues starts with DV and is alphanumeric."""
    ids = [sim.seller()["pob_id"] for _ in range(5)]
    assert all(re.fullmatch(r"DV[A-Z0-9]+", pob_id) for pob_id in ids), ids
    assert len(set(ids)) == 5


def test_auth_token_answers_access_token_in_ajio_shape(sim, seller):
    r = login(sim, seller["pob_id"], seller["password"])
    assert r.status == 200, r.content
    assert r.json["success"] is True and r.json["statusCode"] == 0
    assert r.json["result"]["accessToken"] and r.json["result"]["refreshToken"]
    assert r.json["result"]["accessToken"] != r.json["result"]["refreshToken"]


def test_auth_token_wrong_password_unauthorized(sim, seller):
    assert_error(login(sim, seller["pob_id"], seller["password"] + "x"), 401, code="UNAUTHORIZED",
                 message="invalid username or password")


def test_auth_token_unknown_user_unauthorized_with_same_message(sim, seller):
    """Unknown user and wrong password look alike: a prober learns nothing about which POB ids exist."""
    wrong_password = assert_error(login(sim, seller["pob_id"], "not-the-password"), 401)
    unknown_user = assert_error(login(sim, "DVNOSUCH1", "not-the-password"), 401)
    assert unknown_user == wrong_password


def test_auth_token_portal_password_of_another_pob_unauthorized(sim):
    """Seed 000: each POB has its own credentials; another POB's password does not open it."""
    a, b = sim.seller(), sim.seller()
    assert_error(login(sim, a["pob_id"], b["password"]), 401, code="UNAUTHORIZED")


@pytest.mark.parametrize("body,field", [
    ({"password": "x"}, "username"), ({"username": "DV1"}, "password"),
    ({"username": 12345, "password": "x"}, "username"), ({"username": "DV1", "password": ["x"]}, "password"),
    ({"username": "DV1", "password": "x", "grant_type": "password"}, "grant_type"),
], ids=["no-username", "no-password", "username-number", "password-list", "unknown-field"])
def test_auth_token_bad_body_refused(sim, body, field):
    assert_error(sim.http("POST", "/ds/authToken", json_body=body), 400, code="VALIDATION_FAILED", field=field)


def test_auth_token_text_plain_refused_415(sim, seller):
    r = sim.http("POST", "/ds/authToken", data=f'{{"username": "{seller["pob_id"]}", "password": "x"}}',
                 headers={"Content-Type": "text/plain"})
    assert_error(r, 415, code="UNSUPPORTED_MEDIA_TYPE", field="Content-Type")


@pytest.mark.parametrize("method,path,body", DS_CALLS, ids=CALL_IDS)
def test_ds_call_without_api_key_unauthorized(sim, seller, method, path, body):
    assert_error(sim.http(method, path, json_body=body), 401, code="UNAUTHORIZED", field="apiKey",
                 message="missing apiKey")


@pytest.mark.parametrize("method,path,body", DS_CALLS, ids=CALL_IDS)
def test_ds_call_with_garbage_api_key_unauthorized(sim, seller, method, path, body):
    assert_error(sim.http(method, path, json_body=body, headers={"apiKey": "garbage-token"}), 401,
                 code="UNAUTHORIZED", field="apiKey", message="invalid apiKey")


def test_ds_call_with_refresh_token_as_api_key_unauthorized(sim, seller):
    """API.md: there is no refresh call; the refreshToken is not an apiKey either."""
    refresh = login(sim, seller["pob_id"], seller["password"]).json["result"]["refreshToken"]
    assert_error(sim.ds("GET", "/orders/pendency", refresh), 401, code="UNAUTHORIZED", field="apiKey")


def test_token_still_valid_one_second_before_30_minutes(sim, seller, token):
    """API.md: the token lives 30 minutes."""
    sim.advance(TOKEN_TTL - 1)
    assert sim.ds("GET", "/orders/pendency", token).status == 200


def test_token_expired_at_exactly_30_minutes(sim, seller, token):
    """API.md: the token lives 30 minutes; there is no refresh call (log in again)."""
    sim.advance(TOKEN_TTL)
    assert_error(sim.ds("GET", "/orders/pendency", token), 401, code="UNAUTHORIZED", field="apiKey",
                 message="expired", rule="AUTH-TOKEN-30-MIN")
    fresh = sim.login(seller)
    assert sim.ds("GET", "/orders/pendency", fresh).status == 200


def test_token_expiry_applies_to_documents(sim, seller):
    world = World.new(sim)
    order = world.one("INVOICED")
    url = order.invoice["invoice_pdf_url"]
    assert sim.get_url(url, world.token).status == 200
    sim.advance(TOKEN_TTL)
    assert_error(sim.get_url(url, world.token), 401, code="UNAUTHORIZED", field="apiKey", message="expired")


@pytest.mark.parametrize("model", ["jit", "vms"])
def test_auth_token_of_ds_pob_on_other_model_unauthorized(sim, seller, model):
    """API.md: a POB is enabled for one model; a Dropship POB cannot log into /jit or /vms."""
    assert_error(login(sim, seller["pob_id"], seller["password"], f"/{model}/authToken"), 401,
                 code="UNAUTHORIZED", message="ds model")


def test_bare_auth_token_gives_a_token_that_works_on_ds(sim, seller):
    """API.md: AJIO documents the bare `POST /authToken`; its token works on the POB's own model."""
    r = login(sim, seller["pob_id"], seller["password"], "/authToken")
    assert r.status == 200, r.content
    assert sim.ds("GET", "/orders/pendency", r.json["result"]["accessToken"]).status == 200


def test_bare_auth_token_wrong_password_unauthorized(sim, seller):
    assert_error(login(sim, seller["pob_id"], "wrong", "/authToken"), 401, code="UNAUTHORIZED")


def test_create_seller_several_pobs_each_with_own_credentials_and_store(sim):
    """Seeds 000 and 003: one seller, several stores; 1 channel = 1 POB = 1 store code, own credentials each."""
    first = sim.seller(store_code="BLR-01")
    second = sim.seller(seller_id=first["seller_id"], store_code="MUM-01")
    assert second["seller_id"] == first["seller_id"]
    assert second["pob_id"] != first["pob_id"] and second["password"] != first["password"]
    assert (first["store_code"], second["store_code"]) == ("BLR-01", "MUM-01")
    first_token, second_token = sim.login(first), sim.login(second)
    [order_id] = sim.place(first["pob_id"])
    assert sim.ds("GET", f"/orders?orderIds={order_id}", first_token).status == 200
    assert_error(sim.ds("GET", f"/orders?orderIds={order_id}", second_token), 404, code="NOT_FOUND")
    assert [o["order_id"] for o in sim.ds("GET", "/orders/pendency", second_token).json["orders"]] == []
    sellers = sim.control("GET", "/sellers", expect=200).json["sellers"]
    assert {s["pob_id"]: s["store_code"] for s in sellers} == {first["pob_id"]: "BLR-01",
                                                               second["pob_id"]: "MUM-01"}


def test_create_seller_duplicate_store_code_conflict(sim):
    """Seed 000: 1 Channel = 1 POB = 1 Store Code; a second POB cannot take a store code."""
    first = sim.seller(store_code="BLR-01")
    r = sim.control("POST", "/sellers", {"model": "ds", "seller_id": first["seller_id"], "store_code": "BLR-01"})
    assert_error(r, 409, code="CONFLICT", field="store_code", rule="POB-ONE-STORE-CODE")
    assert len(sim.control("GET", "/sellers", expect=200).json["sellers"]) == 1


def test_create_seller_generated_store_code_avoids_one_already_taken(sim):
    """Seed 000: store codes are unique; a generated one must not collide with one a tester chose."""
    sim.seller(store_code="ST0002")  # what the generator would pick for the second POB
    second = sim.seller()
    assert second["store_code"] != "ST0002"
    codes = [s["store_code"] for s in sim.control("GET", "/sellers", expect=200).json["sellers"]]
    assert len(set(codes)) == 2


def test_create_seller_unknown_seller_id_not_found(sim):
    r = sim.control("POST", "/sellers", {"model": "ds", "seller_id": "SL000000"})
    assert_error(r, 404, code="NOT_FOUND", field="seller_id")


@pytest.mark.parametrize("store_code", ["", "has space", "x" * 33, "ST/01"],
                         ids=["empty", "space", "too-long", "slash"])
def test_create_seller_bad_store_code_refused(sim, store_code):
    r = sim.control("POST", "/sellers", {"model": "ds", "store_code": store_code})
    assert_error(r, 400, code="VALIDATION_FAILED", field="store_code")


def test_failed_login_is_journaled_under_the_pob_it_named(sim):
    """QA reads a POB's journal to see why its connector cannot log in."""
    pob = sim.seller()
    r = sim.http("POST", "/ds/authToken", json_body={"username": pob["pob_id"], "password": "wrong-password"})
    assert r.status == 401
    entries = sim.control("GET", f"/journal?pob_id={pob['pob_id']}", expect=200).json["entries"]
    assert [(e["path"], e["status"]) for e in entries] == [("/ds/authToken", 401)]
    assert "wrong-password" not in entries[0]["request_body"]
