"""The connector test harness (`ajio-sim run`): not built yet, see the README's list of what is not modelled."""
