"""Experiments: package comparison, pillar synergy, sensitivity analysis, sweeps.

Every experiment is a set of independent runs (:class:`~sim.analysis.runner.RunTask`) sent
through one executor (serial, local processes or Dask), streamed to Parquet shards as they
finish, and resumable.
"""
