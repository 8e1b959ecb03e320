"""Benchmarks: ``make bench`` runs them all and rewrites benchmarks/RESULTS.md."""
