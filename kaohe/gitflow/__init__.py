"""The git workflow around the ledgers: ``diff``, ``fmt`` and ``archive``.

- :mod:`kaohe.gitflow.gitrepo`   revisions, the default branch's merge base, labels
- :mod:`kaohe.gitflow.console`   exit codes and diagnostics on the command line
- :mod:`kaohe.gitflow.overlay`   content sources with files replaced or hidden, UTF-8 enforced
- :mod:`kaohe.gitflow.compare`   what changed between two results (totals, ranks, awards, vetoes, measures)
- :mod:`kaohe.gitflow.entries`   ledger entries matched by content, not by line number
- :mod:`kaohe.gitflow.rubricdiff` what changed in the rubric (细则)
- :mod:`kaohe.gitflow.diff`      the ``diff`` command: both sides through the pipeline, every difference
- :mod:`kaohe.gitflow.report`    the ``diff`` report as Markdown for a pull request, or as JSON
- :mod:`kaohe.gitflow.canonical` the canonical form of content files (key order, quoting, indentation)
- :mod:`kaohe.gitflow.fmt`       the ``fmt`` command
- :mod:`kaohe.gitflow.archive`   the ``archive`` command: ``content/history/<year>.yaml`` from final results
- :mod:`kaohe.gitflow.textconv`  a line-per-entry view of content files for ``git diff`` (textconv driver)
"""
