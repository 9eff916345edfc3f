"""Benchmarks: accuracy on labelled photos and videos, and throughput ratios measured in one run."""
