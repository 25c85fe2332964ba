"""Stage 2, check: the rules that need several content files at once (a ledger citing the rubric)."""

from kaohe.check.checks import CHECKS, validate

__all__ = ["CHECKS", "validate"]
