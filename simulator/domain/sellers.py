"""Sellers and their POBs (one POB = one store code = one channel), credentials and tokens."""
from __future__ import annotations

from sqlalchemy import bindparam, delete, insert, select

from simulator.domain import catalog
from simulator.errors import Conflict, NotFound, Unauthorized, ValidationFailed
from simulator.store import order_versions, pobs, prebuilt, products, sellers, tokens

MODELS = ("ds", "jit", "vms")
IMPLEMENTED_MODELS = ("ds", "jit", "vms")


def check_model(model: str) -> None:
    if model not in IMPLEMENTED_MODELS:
        raise ValidationFailed(f"model '{model}' is not modelled yet; this version simulates "
                               f"{', '.join(IMPLEMENTED_MODELS)} (see README: what is not modelled)", field="model")


def create_pob(ctx, *, model: str, seller_id: str | None = None, store_code: str | None = None,
               einvoicing: bool = False, shipping_api_access: bool = True, erp_url: str | None = None,
               password: str | None = None, catalog_size: int | None = None, extra: dict | None = None) -> dict:
    """A POB with its credentials, store code and Faker catalog; `extra` holds its model's settings,
    already checked by the model (domain/world.create_pob)."""
    check_model(model)
    extra = dict(extra or {})
    if seller_id is None:
        seller_seq = ctx.seq("seller")
        seller_id = ctx.ids.seller_id(seller_seq)
        profile = ctx.data.seller(seller_id)
        ctx.conn.execute(insert(sellers).values(seller_id=seller_id, created_at=ctx.now, data=profile))
    else:
        row = ctx.conn.execute(select(sellers.c.seller_id).where(sellers.c.seller_id == seller_id)).first()
        if row is None:
            raise NotFound(f"seller {seller_id} not found", field="seller_id")
    pob_seq = ctx.seq("pob")
    pob_id = ctx.ids.pob_id(pob_seq)
    generated = store_code is None
    if generated:
        store_code = f"ST{pob_seq:04d}"
    taken = ctx.conn.execute(select(pobs.c.pob_id).where(pobs.c.store_code == store_code)).first()
    if generated and taken is not None:
        # A tester chose this code for an earlier POB: build one on the (unique) POB id instead.
        store_code = "ST" + pob_id[2:]
        taken = ctx.conn.execute(select(pobs.c.pob_id).where(pobs.c.store_code == store_code)).first()
    if taken is not None:
        raise Conflict(f"store_code {store_code} already belongs to POB {taken[0]}: one POB = one store code",
                       field="store_code", rule="POB-ONE-STORE-CODE")
    # The POB's registered invoice series: unique per POB, so no two POBs ever print one number.
    settings = {"invoice_series": "S" + _base36(pob_seq, 5),
                "einvoicing": bool(einvoicing), "shipping_api_access": bool(shipping_api_access),
                "erp_url": erp_url, **extra}
    password = password or ctx.ids.password(pob_seq)
    ctx.conn.execute(insert(pobs).values(pob_id=pob_id, seller_id=seller_id, password=password, model=model,
                                         store_code=store_code, created_at=ctx.now, settings=settings))
    own = catalog.own_catalogue(ctx.conn, seller_id) if model in catalog.CATALOGUE_MODELS else None
    if own:  # the seller imported its own catalogue: another store of it lists the same SKUs, stock its own
        for item in own:
            ctx.conn.execute(insert(products).values(
                pob_id=pob_id, sku=item["sku"], published_status="PUBLISHED" if item.get("published", True)
                else "UNPUBLISHED", quantity=item.get("quantity", 0), updated_at=ctx.now,
                data=catalog.product_data(item)))
        return {"pob_id": pob_id, "password": password, "model": model, "store_code": store_code,
                "seller_id": seller_id, **settings}
    size = ctx.config.catalog_size if catalog_size is None else catalog_size
    for index, product in enumerate(ctx.data.catalog(pob_id, size)):
        # Roughly one listing in ten is still in moderation, as on a real catalog.
        published = "UNPUBLISHED" if index % 10 == 9 else "PUBLISHED"
        ctx.conn.execute(insert(products).values(pob_id=pob_id, sku=product["sku"], published_status=published,
                                                 quantity=10 + (index * 7) % 41, updated_at=ctx.now, data=product))
    return {"pob_id": pob_id, "password": password, "model": model, "store_code": store_code,
            "seller_id": seller_id, **settings}


def _base36(n: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(width, "0")


_GET_POB = prebuilt(select(pobs).where(pobs.c.pob_id == bindparam("pob_id")))  # every transition: built once


def get_pob(conn, pob_id: str) -> dict:
    row = conn.execute(_GET_POB, {"pob_id": pob_id}).mappings().first()
    if row is None:
        raise NotFound(f"POB {pob_id} not found", field="pob_id")
    return dict(row)


def list_pobs(conn) -> list[dict]:
    rows = conn.execute(select(pobs).order_by(pobs.c.created_at, pobs.c.pob_id)).mappings().all()
    return [public_pob(dict(r)) for r in rows]


def public_pob(row: dict) -> dict:
    return {"pob_id": row["pob_id"], "seller_id": row["seller_id"], "password": row["password"],
            "model": row["model"], "store_code": row["store_code"], **row["settings"]}


_SELLER_DATA = prebuilt(select(sellers.c.data).where(sellers.c.seller_id == bindparam("seller_id")))
_SELLER_STATE = prebuilt(select(sellers.c.data).select_from(pobs.join(sellers, pobs.c.seller_id == sellers.c.seller_id))
                         .where(pobs.c.pob_id == bindparam("pob_id")))


def seller_profile(conn, pob: dict) -> dict:
    """The seller block printed on documents: name, GSTIN, address, POB and store code."""
    row = conn.execute(_SELLER_DATA, {"seller_id": pob["seller_id"]}).first()
    data = dict(row[0]) if row else {}
    return {"seller_name": data.get("seller_name", ""), "gstin": data.get("gstin", ""),
            "address": data.get("address", {}), "state_code": data.get("state_code", ""),
            "pob_id": pob["pob_id"], "store_code": pob["store_code"]}


def seller_state_code(conn, pob_id: str) -> str:
    """The GST state code of the seller behind a POB (decides CGST+SGST versus IGST)."""
    row = conn.execute(_SELLER_STATE, {"pob_id": pob_id}).first()
    return (row[0] or {}).get("state_code", "") if row else ""


# How long an expired token is still known (answered "expired", its calls journaled as its POB's).
EXPIRED_TOKENS_KEPT = 24 * 3600


def issue_token(ctx, *, username: str, password: str, model: str | None) -> dict:
    row = ctx.conn.execute(select(pobs).where(pobs.c.pob_id == username)).mappings().first()
    # One message for unknown user and wrong password: don't tell a prober which one it was.
    if row is None or row["password"] != password:
        raise Unauthorized("invalid username or password", field="password")
    if model is not None and row["model"] != model:
        raise Unauthorized(f"POB {username} is enabled for the {row['model']} model, not {model}", field="username")
    token = ctx.ids.token()
    expires_at = ctx.now + ctx.config.token_ttl
    # Expired tokens are cleared a day after they expired, not at once: a call still carrying one (a client that
    # logged in again but repeats the call with the token AJIO just refused) is answered "expired" and journaled
    # as its POB's (token_owner), not as an anonymous "invalid apiKey" no scenario of the POB could see.
    ctx.conn.execute(delete(tokens).where(tokens.c.pob_id == username,
                                          tokens.c.expires_at < ctx.now - EXPIRED_TOKENS_KEPT))
    ctx.conn.execute(insert(tokens).values(token=token, pob_id=username, issued_at=ctx.now, expires_at=expires_at))
    return {"success": True, "statusCode": 0,
            "result": {"accessToken": token, "refreshToken": ctx.ids.token(), "tokenType": "apiKey",
                       "expiresIn": ctx.config.token_ttl, "expiresAt": expires_at}}


_TOKEN_OWNER = select(tokens.c.pob_id).where(tokens.c.token == bindparam("token"))


def token_owner(conn, token: str | None) -> str | None:
    """The POB a token was issued to, expired or not (for the journal; never for access)."""
    if not token:
        return None
    row = conn.execute(_TOKEN_OWNER, {"token": token}).first()
    return row[0] if row else None


# Every AJIO call starts here: one prebuilt statement (token and POB together) instead of two built per call.
# The version of the POB's CREATED orders comes along (one join): GET pendency answers an unchanged page
# from the page cache (simulator/fast/pagecache.py) without a read of its own. Every request reads it as
# part of its first read (app.first_read_statement).
TOKEN_POB = (select(tokens.c.expires_at.label("token_expires_at"), order_versions.c.v.label("pendency_version"), pobs)
              .join_from(tokens, pobs, tokens.c.pob_id == pobs.c.pob_id)
              .outerjoin(order_versions, (order_versions.c.pob_id == pobs.c.pob_id)
                         & (order_versions.c.status == "CREATED"))
              .where(tokens.c.token == bindparam("token")))


def lookup_token(conn, token: str | None):
    """The token's row joined with its POB, or None (read once per request, beside the clock)."""
    return conn.execute(TOKEN_POB, {"token": token}).mappings().first() if token else None


def resolve_token(conn, token: str | None, now: int, model: str | None) -> dict:
    return check_token(lookup_token(conn, token), token, now, model)


def check_token(row, token: str | None, now: int, model: str | None) -> dict:
    if not token:
        raise Unauthorized("missing apiKey header: log in with POST /{model}/authToken", field="apiKey")
    if row is None:
        raise Unauthorized("invalid apiKey", field="apiKey")
    if row["token_expires_at"] <= now:
        raise Unauthorized("apiKey expired: tokens live 30 minutes and cannot be refreshed; log in again",
                           field="apiKey", rule="AUTH-TOKEN-30-MIN")
    pob = {c.name: row[c.name] for c in pobs.columns}
    if model is not None and pob["model"] != model:
        raise Unauthorized(f"POB {pob['pob_id']} is enabled for the {pob['model']} model, not {model}",
                           field="apiKey")
    return pob
