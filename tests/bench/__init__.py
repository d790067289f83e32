"""`python -m tests.bench` (`make bench`): the scale benchmark.

Every section drives the real code (Daemon, Pipeline, Extractor, AccountMatcher, the alert
queue) against loopback servers, so the numbers include HTTP, parsing, the database and
spaCy exactly as the daemon runs them. Sections are independent and print why they skip.
"""
