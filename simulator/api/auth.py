"""POST /{model}/authToken (pinned) and the bare /authToken AJIO documents."""
from __future__ import annotations

from flask import Blueprint, g

from contracts.common import AuthTokenRequest, AuthTokenResponse
from simulator.api.common import body, respond, write
from simulator.domain.sellers import MODELS, issue_token

bp = Blueprint("auth", __name__)
_schema = AuthTokenRequest()
_answer = AuthTokenResponse()


def _issue(model: str | None):
    creds = body(_schema)
    # Filed under the POB it names, failed or not: a connector's refused logins are what QA looks for.
    g.pob_id = creds["username"]
    return respond(_answer, write(lambda ctx: issue_token(ctx, username=creds["username"], password=creds["password"],
                                                          model=model)))


@bp.post("/authToken")
def auth_token():
    return _issue(None)


for _model in MODELS:
    bp.add_url_rule(f"/{_model}/authToken", f"auth_token_{_model}", (lambda m: lambda: _issue(m))(_model),
                    methods=["POST"])
