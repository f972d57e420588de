"""Serve fakesnow on 127.0.0.1:<port> (run with this folder's environment, not the project's).

fakesnow wraps the argument of every sum, avg, median and stddev in a cast to DOUBLE so that
Snowflake's implicit cast of text to numbers works on DuckDB. Snowflake sums NUMBER exactly, and
this project never aggregates text, so the rewrite is switched off: with it, decimal money
totals come back as floats and no longer reconcile.
"""

import sys

import fakesnow.transforms
from fakesnow.cli import main


def _keep_aggregate_arguments(expression):
    return expression


if __name__ == "__main__":
    fakesnow.transforms.numeric_agg_implicit_cast = _keep_aggregate_arguments
    sys.exit(main(["--server", "--port", sys.argv[1]]))
