"""Tests of the Venstar client library."""
