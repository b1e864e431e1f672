"""The benchmark and its measuring scripts. Run them as modules from the
repository root (``python -m bench.run``), so they find ``intake`` and the test
suite's server launcher (``tests.support.servers``) without editing sys.path."""
