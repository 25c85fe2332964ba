"""The static site under ``output/site/``: rankings, drill-down to every ledger line, charts, search.

Modules, from facts to files:

- :mod:`.context`    indexes over one build's results (entry → effect, provenance, PDFs)
- :mod:`.provenance` ``git blame`` per ledger file → the commit that last changed each entry
- :mod:`.entries`, :mod:`.ranking`, :mod:`.community`, :mod:`.ledger`, :mod:`.rubric`,
  :mod:`.history`    view models: small dataclasses the templates show
- :mod:`.charts`     bar chart and heat map geometry for inline SVG
- :mod:`.search`     the offline, Chinese-friendly search index
- :mod:`.export`     ``results.csv`` and ``results.xlsx``; :mod:`.downloads` writes them with results.json
- :mod:`.writer`     pages from templates, files and links into the site folder
- :mod:`.jobs`       the site in shares (jobs), written in this process or by a fork pool
- :mod:`.pages`      the renderer that writes it all
"""

from __future__ import annotations

from kaohe.render.site.pages import render_site

__all__ = ["render_site"]
