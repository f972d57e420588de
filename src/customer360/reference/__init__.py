"""Shared reference data (merchant categories, merchants, US states and cities, name lists).

Plain CSV files read by the generator, the ingest stage and the dbt project alike.
"""
