"""``merge-driver``: a git merge driver for ledgers, merging entry by entry instead of line by line.

- :mod:`.pieces`    a ledger in canonical form cut into pieces: its top-level keys, each entry, the end
- :mod:`.three_way` the three versions' pieces merged: clean where the sides changed different pieces,
  conflict markers around a piece both changed differently
- :mod:`.driver`    the command: read ``%O %A %B``, merge (or fall back to ``git merge-file``), write ``%A``;
  and ``--install``, which sets the driver up in a clone
"""
