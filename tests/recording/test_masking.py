"""Privacy masks: secrets and personal data out, JSON types and shapes kept, idempotent for replay keys."""
from __future__ import annotations

import json

from harness.recording.masking import Masker, key_body, key_query, mask_scalar, mask_tree

LOGIN = json.dumps({"username": "DVB1VX5Z", "password": "pw-6a1b453a3a26d09f"})
ORDER = {"order_id": "FN1", "order_lines": [{"item_details": {"name": "Slim jeans"}, "customer_cancelled_qty": 2}],
         "customer": {"name": "Priya Sharma", "phone": "+91 98765 43210", "email": "priya@example.com"},
         "shippingAddress": {"line1": "12 MG Road", "pincode": 560001, "landmark": None},
         "billingAddress": {"name": "Priya Sharma", "geo": [12.97, 77.59]}}


def test_mask_login_password_keeps_a_string_of_its_length_class():
    text, paths = Masker().body(LOGIN, "request.body")
    doc = json.loads(text)
    assert doc == {"username": "DVB1VX5Z", "password": "x" * 32}   # 19 characters -> the class of 32
    assert paths == ["request.body $.password"]


def test_mask_login_answer_tokens_are_masked_strings():
    answer = {"success": True, "statusCode": 0, "result": {"accessToken": "a" * 40, "refreshToken": "r" * 10,
                                                           "tokenType": "apiKey", "expiresIn": 1800}}
    masked, paths = Masker().json_value(answer)
    assert masked["result"] == {"accessToken": "x" * 64, "refreshToken": "x" * 16, "tokenType": "apiKey",
                                "expiresIn": 1800}
    assert paths == ["$.result.accessToken", "$.result.refreshToken"]


def test_mask_customer_and_addresses_keep_types_and_shape():
    masked, paths = Masker().json_value(ORDER)
    assert masked["customer"] == {"name": "x" * 16, "phone": "+00 00000 00000", "email": "xxxxxxxx@masked.invalid"}
    assert masked["shippingAddress"] == {"line1": "x" * 16, "pincode": 100000, "landmark": None}
    assert masked["billingAddress"] == {"name": "x" * 16, "geo": [0.0, 0.0]}
    assert set(paths) == {"$.customer", "$.shippingAddress", "$.billingAddress"}


def test_mask_leaves_grounded_order_fields_alone():
    masked, _ = Masker().json_value(ORDER)
    assert masked["order_lines"] == ORDER["order_lines"]       # a product name and a quantity are not personal
    assert masked["order_id"] == "FN1"


def test_mask_headers_apikey_authpassword_authorization_and_cookies():
    headers = [("Apikey", "tok-123456"), ("Authpassword", "pw"), ("Authorization", "Bearer abc"),
               ("Cookie", "s=1"), ("Authusername", "DVB1VX5Z"), ("Content-Type", "application/json")]
    masked, paths = Masker().headers(headers, "request.header")
    assert dict(masked) == {"Apikey": "x" * 16, "Authpassword": "xxxx", "Authorization": "x" * 16,
                            "Cookie": "xxxx", "Authusername": "DVB1VX5Z", "Content-Type": "application/json"}
    assert paths == [f"request.header {n}" for n in ("Apikey", "Authpassword", "Authorization", "Cookie")]


def test_mask_query_parameters_named_like_secrets():
    masked, paths = Masker().query("orderIds=FN1&apiKey=tok-123&page=0", "request.query")
    assert masked == "orderIds=FN1&apiKey=xxxxxxxx&page=0"
    assert paths == ["request.query apiKey"]


def test_mask_extra_key_from_the_command_line():
    masked, paths = Masker(extra_keys=frozenset({"gstin"})).json_value({"gstin": "29ABCDE1234F1Z5", "x": 1})
    assert masked == {"gstin": "x" * 16, "x": 1} and paths == ["$.gstin"]


def test_mask_is_idempotent():
    once = mask_tree(ORDER)
    assert mask_tree(once) == once
    assert mask_scalar(mask_scalar("priya@example.com")) == mask_scalar("priya@example.com")


def test_mask_cut_json_text_still_loses_the_password():
    text, paths = Masker().body('{"username": "DV1", "password": "hunter2-secret", "x": [', "request.body")
    assert "hunter2" not in text and '"password": "xxxxxxxxxxxxxxxx"' in text
    assert paths == ["request.body (text) password"]


def test_mask_disabled_records_as_it_came():
    text, paths = Masker(enabled=False).body(LOGIN, "request.body")
    assert text == LOGIN and paths == []


def test_key_body_matches_a_live_login_with_its_masked_recording():
    recorded, _ = Masker().body(LOGIN, "request.body")
    assert key_body(LOGIN) == key_body(recorded)
    assert key_body('{"b": 1, "a": 2}') == key_body('{"a":2,"b":1}')
    assert key_body(LOGIN) != key_body(LOGIN.replace("DVB1VX5Z", "DVOTHER1"))


def test_key_query_ignores_parameter_order():
    assert key_query("page=1&orderIds=A") == key_query("orderIds=A&page=1")
