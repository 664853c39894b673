"""Venstar thermostats over their local API."""
