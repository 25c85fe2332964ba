"""``diff``: what a change does to scores, ranks, awards, vetoes and measures.

- :mod:`.report`   both sides through the pipeline: :class:`~.report.DiffReport`, every difference
- :mod:`.entries`  ledger entries matched by content, not by line number
- :mod:`.rubric`   what changed in the rubric (细则)
- :mod:`.communities` what changed in communities.yaml, community by community and field by field
- :mod:`.markdown` the report as Markdown for a pull request, or as JSON
"""
