"""Test helpers shared by several suites (local push service, ...)."""
