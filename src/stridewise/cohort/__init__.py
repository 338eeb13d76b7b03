"""Cohort analysis (issue 16): the product's own kernels over thousands of people.

- :mod:`~stridewise.cohort.dataset` — the partitioned Parquet dataset (tables, columns, I/O);
- :mod:`~stridewise.cohort.synth` — a seeded synthetic cohort with effects injected on purpose;
- :mod:`~stridewise.cohort.export` — a dataset from stores (SQLite folder, PostgreSQL with a
  research grant, raw activity folders), pseudonymised with a keyed hash;
- :mod:`~stridewise.cohort.pipeline` — the per-participant job (``series.daily_series`` and the
  pain rules, never a copy), resumable partitions on ``dask.distributed``, collation, QC;
- :mod:`~stridewise.cohort.analyses` — adherence, progression safety (Cox, clustered), bone;
- :mod:`~stridewise.cohort.report` — one self-contained HTML report.

docs/cohort.md describes the data, the consent and pseudonymisation rules and the methods.
"""
