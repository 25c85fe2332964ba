"""Stage 1, content: the files under ``content/`` → the typed content model, with every diagnostic.

- :mod:`.schema`    every content file's shape as data: keys, kinds, canonical order, where it lives
- :mod:`.source`    where files come from: the working tree or a git revision
- :mod:`.overlay`   a source with files replaced or hidden ("what if" runs), or refusing non-UTF-8 files
- :mod:`.yamlnodes` YAML text → nodes that remember their position (no type guessing)
- :mod:`.fields`    typed reading of one mapping, reporting every problem
- :mod:`.model`     the typed content model
- :mod:`.load`      nodes → the model, one file kind at a time
- :mod:`.canonical` the canonical written form of content files (``fmt``), proven to keep data and comments
- :mod:`.textconv`  a line-per-entry view of content files for ``git diff``
"""
