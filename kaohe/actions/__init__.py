"""What each command does, as library functions that return result objects (the CLI only prints them).

- :mod:`.check`     ``check(root) -> CheckResult``
- :mod:`.build`     ``build(root, templates, …) -> BuildResult``: gather first, then swap ``output/`` in atomically, under a lock
- :mod:`.diff`      ``diff(root, rev, rev2) -> DiffReport``, and its Markdown and JSON
- :mod:`.fmt`       ``fmt(root, files, check_only) -> FmtResult``
- :mod:`.archive`   ``archive(root, force) -> ArchiveResult``
- :mod:`.append`    ``append_entries(root, line, entries, dry_run) -> AppendResult``: new entries into a ledger, checked as ``check`` does
- :mod:`.spreadsheet` ``import_sheet(root, file, line, …) -> ImportResult`` and ``write_template(root, line, out) -> TemplateResult``
- :mod:`.merge`     ``merge_driver(base, ours, theirs, path) -> MergeResult``: git's merge of a ledger, entry by entry
- :mod:`.serve`     ``serve(root, templates, host, port, …) -> ServeResult``: the local preview and its 记一笔 forms
- :mod:`.approval`  what changed since the 班子会 approved the results
- :mod:`.revisions` the two sides of a comparison (revisions, the merge base, the working tree)
"""
