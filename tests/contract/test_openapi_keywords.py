"""The keywords the document states for custom fields say what the code accepts: a value a pattern admits
is accepted by the field (else the document is laxer than the code), and the values the field refuses
that matter are outside the pattern (else the keyword states nothing)."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, fields

from contracts import common
from contracts.common import BASE64_PATTERN, Url, id_list_pattern, url_pattern
from contracts.ds import MAX_ORDER_IDS, OrdersQuery
from contracts.erp import Base64Pdf
from contracts.openapi import ajio_spec
from contracts.openapi_common import finish, new_spec

SETTINGS = settings(max_examples=300, derandomize=True, suppress_health_check=list(HealthCheck), deadline=None)


def _ecma(pattern: str) -> re.Pattern:
    """The pattern as ECMA-262 reads it: `$` is the end of the text (Python's also matches before a final newline)."""
    assert pattern.endswith("$")
    return re.compile(pattern[:-1] + r"\Z")


def _accepts(field: fields.Field, value: str) -> bool:
    try:
        field.deserialize(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("require_tld", [True, False])
def test_every_url_the_pattern_admits_is_accepted(require_tld):
    field, pattern = Url(require_tld=require_tld), url_pattern(require_tld)

    @SETTINGS
    @given(st.from_regex(_ecma(pattern), fullmatch=True))
    def check(value):
        assert _accepts(field, value), value

    check()


@SETTINGS
@given(st.text(max_size=40).map(lambda tail: "https://" + tail))
def test_the_url_pattern_admits_nothing_the_field_refuses(value):
    assert not _ecma(common.URL_PATTERN).search(value) or _accepts(Url(), value), value


@pytest.mark.parametrize("value", ["", "example.com", "http://", "http://localhost x", "mailto:a@b.in",
                                   "gopher://a.example.com", "http://a", "https://erp.example.in/a b",
                                   "https://erp.example.in/\n", "/invoices/1.pdf"])
def test_urls_the_field_refuses_are_outside_the_pattern(value):
    assert not _accepts(Url(), value)
    assert not _ecma(common.URL_PATTERN).search(value)


def test_url_pattern_keeps_the_urls_connectors_send():
    for value in ("https://erp.example.in/invoices/INV1.pdf", "http://127.0.0.1:9000/cn.pdf?x=1",
                  "http://localhost:8080/documents/DOC1", "https://u:p@files.example.co.in/a%20b.pdf#p1"):
        assert _ecma(common.URL_PATTERN).search(value) and _accepts(Url(), value), value


@SETTINGS
@given(st.from_regex(_ecma(BASE64_PATTERN), fullmatch=True))
def test_every_base64_the_pattern_admits_is_accepted(value):
    assert _accepts(Base64Pdf(), value), value


@pytest.mark.parametrize("value", ["", "A", "AAA", "A===", "AAAA\n", "AA AA", "AAAA AAAA", "****", "QUJD\u00e9"])
def test_base64_the_field_refuses_is_outside_the_pattern(value):
    assert not _accepts(Base64Pdf(), value)
    assert not _ecma(BASE64_PATTERN).search(value)


def test_a_bare_marshmallow_url_field_fails_the_document():
    """Its default format (`url`) states nothing a validator checks: contracts.common.Url publishes the pattern."""
    class Bare(Schema):
        link = fields.Url()

    spec = new_spec("t", "t", [])
    with pytest.raises(TypeError, match="contracts.common.Url"):
        spec.components.schema("Bare", schema=Bare)
        finish(spec)


def test_request_urls_and_pdfs_are_published_with_their_keywords():
    schemas = ajio_spec()["components"]["schemas"]
    for name, prop in (("B2bInvoicePosting", "invoiceURL"), ("CreditNotePosting", "creditNoteUrl"),
                       ("CreditNotePosting", "creditNotePdfUrl")):
        assert schemas[name]["properties"][prop] | {"description": ""} == {
            "type": "string", "format": "uri", "pattern": common.URL_PATTERN, "description": ""}, (name, prop)
    assert schemas["VmsQcItem"]["properties"]["imageUrls"]["items"] == {
        "type": "string", "format": "uri", "pattern": common.URL_PATTERN}
    for name, prop in (("B2bInvoicePosting", "invoicePdf"), ("CreditNotePosting", "signedCreditNote"),
                       ("CreditNotePosting", "signedCreditNotePdf")):
        found = schemas[name]["properties"][prop]
        assert (found["format"], found["minLength"], found["pattern"]) == ("byte", 4, BASE64_PATTERN), (name, prop)


@settings(max_examples=150, derandomize=True, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.from_regex(_ecma(id_list_pattern(MAX_ORDER_IDS)), fullmatch=True).filter(lambda s: len(s) <= 2000))
def test_every_id_list_the_pattern_admits_is_accepted(value):
    OrdersQuery().load({"orderIds": value})  # raises if refused


@pytest.mark.parametrize("value", [",", " , ,", "\x1c", ",".join(["A"] * (MAX_ORDER_IDS + 1))])
def test_id_lists_the_schema_refuses_are_outside_the_pattern(value):
    with pytest.raises(ValidationError):
        OrdersQuery().load({"orderIds": value})
    assert not _ecma(id_list_pattern(MAX_ORDER_IDS)).search(value)
