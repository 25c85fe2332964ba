"""What each command does, as library functions that return result objects (the CLI only prints them).

- :mod:`.check`     ``check(root) -> CheckResult``
- :mod:`.build`     ``build(root, templates, …) -> BuildResult``: gather first, then swap ``output/`` in atomically, under a lock
- :mod:`.diff`      ``diff(root, rev, rev2) -> DiffReport``, and its Markdown and JSON
- :mod:`.fmt`       ``fmt(root, files, check_only) -> FmtResult``
- :mod:`.archive`   ``archive(root, force) -> ArchiveResult``
- :mod:`.approval`  what changed since the 班子会 approved the results
- :mod:`.revisions` the two sides of a comparison (revisions, the merge base, the working tree)
"""
