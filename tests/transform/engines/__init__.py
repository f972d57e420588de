"""The tiny bronze world on Spark and fakesnow: load it, build it, read silver and gold back."""
