"""Customer 360: analytics for a credit-card portfolio."""

__version__ = "0.1.0"
