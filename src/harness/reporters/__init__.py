"""Reporters consume the runner's events: console (rich), JUnit XML, JSON."""
