"""The test suite. A package, so its helpers import as ``tests.support.*`` (from
the tests, and from ``bench/`` run as ``python -m bench.run``) and test files of
the same name may stand in different folders."""
