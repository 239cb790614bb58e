"""Business rules of the simulated AJIO; nothing in here imports Flask."""
