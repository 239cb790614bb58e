"""The connector test harness behind `ajio-sim run`: scenarios, connector adapters, runner, reporters."""
