"""考核台帐: score a street office's yearly community assessment from YAML ledgers.

The folders follow the pipeline; each depends only on the ones before it:

1. :mod:`kaohe.content`  content files → the typed model (schema, sources, YAML, loading)
2. :mod:`kaohe.check`    the rules that need several files at once
3. :mod:`kaohe.scoring`  the pure scoring core: scores, ranks, awards, measures, finality, ``results.json``
4. :mod:`kaohe.render`   results → files: the vocabulary, ``results.json``, the PDF notices, the site
5. :mod:`kaohe.actions`  each command as a library function returning a result object
6. :mod:`kaohe.cli`      the ``build.py`` command line: parse arguments, call an action, print its result

:mod:`kaohe.pipeline` runs stages 1–3; :mod:`kaohe.errors` (diagnostics as data),
:mod:`kaohe.numbers` (exact decimals, half-up), :mod:`kaohe.git` (the one git
adapter) and :mod:`kaohe.collector` (the cycle collector paused while a stage runs)
are shared by all.
"""

__version__ = "0.2.0"
