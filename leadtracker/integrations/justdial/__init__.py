"""JustDial: the lead push."""
