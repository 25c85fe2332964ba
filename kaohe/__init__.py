"""考核台帐: score a street office's yearly community assessment from YAML ledgers.

The pipeline has one module per stage:

- :mod:`kaohe.source`   where content files come from (working tree or a git revision)
- :mod:`kaohe.yamlnodes` YAML text → position-carrying nodes (no type guessing)
- :mod:`kaohe.load`     nodes → the typed content model, with field-level diagnostics
- :mod:`kaohe.validate` cross-file rules of the content model
- :mod:`kaohe.score`    the pure scoring core: leaves, categories, totals
- :mod:`kaohe.rank`     competition ranking, award ranks with back-fill, awards
- :mod:`kaohe.measures` last places and multi-year streaks
- :mod:`kaohe.results`  the ``results.json`` contract and finality
- :mod:`kaohe.build`    the build pipeline and the atomic output swap
- :mod:`kaohe.cli`      the ``build.py`` command line
"""

__version__ = "0.1.0"
