"""FIT files: a vectorised NumPy decoder, a fitdecode fallback, and a small encoder.

* :func:`stridewise.fit.fallback.read_fit` (bytes -> :class:`~stridewise.fit.decode.FitData`)
* :func:`stridewise.fit.encode.encode_activity`, :func:`stridewise.fit.encode.encode_workout`
"""
