"""Stage 3, scoring: the pure core. No I/O, no templates; ``Decimal`` throughout.

- :mod:`.score`    ledger entries → leaf, category and total scores (扣完为止, ratios, bonuses, vetoes)
- :mod:`.rank`     competition ranking, award ranks with back-fill (名次递补), awards
- :mod:`.measures` last places and the measures over consecutive years
- :mod:`.finality` final with its approval, or a draft with every reason why
- :mod:`.results`  everything together, and the ``results.json`` contract (one serialiser, one hash)
- :mod:`.delta`    what changed between two results (used by ``diff`` and the approval check)
"""
