"""The one summary every bench prints: median with min-max (and n) of a list of samples."""
import statistics

NO_SAMPLES = {"median": float("nan"), "min": float("nan"), "max": float("nan"), "n": 0}


def median_range(values):
    """{"median", "min", "max", "n"} of the values that are not None; None when none are."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}


def without_n(cell):
    """The cell as {"median", "min", "max"} (the JSON of the older suites)."""
    return {k: cell[k] for k in ("median", "min", "max")}
