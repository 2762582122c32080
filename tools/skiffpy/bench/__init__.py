"""The benchmarks: runners, parsers, statistics, memory search and reports behind `skiff bench` and its suites."""
