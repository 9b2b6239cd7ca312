"""Interventions of the three CdR pillars, targeting and costs."""
