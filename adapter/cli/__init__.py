"""The ``baton`` command: run, validate, scaffold and inspect (``adapter.cli.main``)."""
