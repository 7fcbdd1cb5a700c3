"""Scoring extracted article text against references: token F1 and trafilatura's with/without snippet metric."""
