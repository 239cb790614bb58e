"""Example: testing a connector with the ajio-sim pytest plugin (installed with ajio-sim).

Run it with `pytest examples/pytest_connector`. The plugin starts one real simulator for the session;
every test gets an empty world on a frozen clock (`ajio_sim`), creates its sellers with
`ajio_sim_seller`, moves simulated time with `ajio_sim_clock` (no test sleeps) and stages AJIO's bad
days with `ajio_sim_faults`.
"""
import pytest
import requests
from connector import DropshipConnector


def test_acknowledges_every_new_order_once(ajio_sim_seller):
    seller = ajio_sim_seller()  # a Dropship POB with a Faker catalog
    placed = seller.place_orders(3)
    connector = DropshipConnector(seller.base_url, seller.pob_id, seller.password)

    assert sorted(connector.sync_new_orders()) == sorted(placed)
    assert connector.sync_new_orders() == []  # nothing is left in pendency


def test_learns_of_a_customer_cancellation(ajio_sim, ajio_sim_seller):
    seller = ajio_sim_seller()
    first, second = seller.place_orders(2)
    connector = DropshipConnector(seller.base_url, seller.pob_id, seller.password)
    connector.sync_new_orders()

    ajio_sim.order_event(first, "customer-cancel")  # the customer cancels on AJIO

    assert connector.refresh() == {first: "CANCELLED"}
    assert ajio_sim.order(second)["status"] == "CONFIRMED"


def test_po_arrives_after_the_lag_and_an_expired_token_is_renewed(ajio_sim_seller, ajio_sim_clock):
    seller = ajio_sim_seller()
    (order_id,) = seller.place_orders(1)
    connector = DropshipConnector(seller.base_url, seller.pob_id, seller.password)
    connector.sync_new_orders()
    assert connector.po_number(order_id) is None  # on hold: AJIO issues the PO 30 minutes later

    ajio_sim_clock.advance("31m")  # the PO is due, and the 30-minute token has expired

    assert connector.po_number(order_id)  # the connector logged in again and sees the PO


def test_an_outage_surfaces_and_the_next_sync_catches_up(ajio_sim_seller, ajio_sim_faults):
    seller = ajio_sim_seller()
    placed = seller.place_orders(2)
    connector = DropshipConnector(seller.base_url, seller.pob_id, seller.password)
    # AJIO answers the next pendency read with a 503 (once), for this POB only.
    ajio_sim_faults.add({"kind": "status", "status": 503}, method="GET", path="/ds/orders/pendency",
                        pob_id=seller.pob_id, times=1)

    with pytest.raises(requests.HTTPError):
        connector.sync_new_orders()

    assert sorted(connector.sync_new_orders()) == sorted(placed)
    assert [rule["applied"] for rule in ajio_sim_faults.list()] == [1]
