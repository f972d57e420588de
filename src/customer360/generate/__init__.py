"""The synthetic world: a seeded, reproducible credit-card portfolio landed as files."""

from customer360.generate.calibration import churn_label_rates, segment_shares
from customer360.generate.options import GenerateOptions, GenerateSummary
from customer360.generate.world import generate_world

__all__ = [
    "GenerateOptions",
    "GenerateSummary",
    "churn_label_rates",
    "generate_world",
    "segment_shares",
]
