"""The only places where cmkg relies on a private name of another package, one small module each.

A minor release of that package may rename what these modules use; then the module's tests fail and
only the module changes, not its callers. Each module says what it uses, why no public API does the
job, and which test pins the behaviour:

- `oxrdflib_terms`: term conversion between pyoxigraph and rdflib (`oxrdflib._converter`).
- `dask_client`: connecting a `distributed.Client` with a hard deadline, and abandoning a client that
  never connected (`Client.__new__` then `__init__` in a thread; `Client._loop_runner`).

No other module of cmkg may import a `_private` name of another package (tests/test_store.py checks).
"""
