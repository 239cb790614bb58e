"""The control plane (/_sim): what AJIO's customers and couriers do, and the simulator's knobs."""
