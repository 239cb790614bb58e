"""A box id taken between the check and the insert (another worker) retries the request instead of a 500."""
from __future__ import annotations

import pytest

from simulator.domain.jit.fulfilment import _insert_box
from simulator.errors import ConcurrentUpdate


def test_insert_box_taken_meanwhile_is_a_concurrent_update(app):
    sim = app.extensions["ajio_sim"]
    row = {"pob_id": "DVX", "box_id": "B1", "seal_id": "S1", "order_id": "40", "status": "PACKED", "created_at": 0,
           "data": {}}
    sim.transact(lambda ctx: _insert_box(ctx, **row))

    def second(ctx):
        _insert_box(ctx, **{**row, "order_id": "41"})

    with pytest.raises(ConcurrentUpdate):
        sim.transact(second, attempts=1)
