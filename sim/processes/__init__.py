"""Household processes: one module per process, each a function over the whole population."""
