"""The bounds on what one content file may hold: every limit in one place, each with its reason.

Sized from the largest real year, with a wide margin: ``bench/generate.py`` makes a city of
1,000 communities and 100,000 entries, about 8 MB of YAML across the ledgers, and one line's
ledger may hold all 100,000 entries (about 10 MB, 1.1 million YAML values). Each bound is
checked before the expensive step it protects (the file's size before it is read, nesting and
aliases while the YAML is parsed, a number's digits before it is converted), and crossing one
is a positioned diagnostic, never a traceback, a hang or unbounded memory. README.md and
docs/FORMAT.md §9 state them for the people who write the files.
"""

from __future__ import annotations

MIB = 1024 * 1024

# A file's size in bytes: 3× a ledger holding a whole city's 100,000 entries (~10.7 MB as
# bench/generate.py writes them, ~20 MB with longer notes and evidence). Checked before the
# file is read; under 50 MB, so a 50 MB file is refused at once.
MAX_FILE_BYTES = 32 * MIB

# Lists and mappings inside one another: the deepest real nesting, an indicator tree with ~6
# levels of children, is about 20; the rubric of the sample year is 10 deep, a ledger 4.
MAX_DEPTH = 64

# YAML values (scalars, lists, mappings) in one file, an alias counting as a copy of what it
# stands for: 4.7× the 256,000 of the largest ledger of that city (its 党建 line: 23,600
# entries, 2.5 MB), and one line's ledger of some 100,000 entries. Time and memory grow with
# values, not bytes (a value costs ~6 µs and ~250 bytes to parse, more to check), so this is the
# bound that keeps the densest file within about half a gigabyte.
MAX_NODES = 1_200_000

# A file larger than this, more than any real ledger, has its values counted before anything is
# built from them: libyaml alone reads ~550,000 values a second, so a file of too many values is
# refused in about two seconds, not in the builder's ten. Files below it are read once, as always.
PRECOUNT_BYTES = 4 * MIB

# Aliases (``*name``) in one file: content never needs them (fmt writes none); a few repeated
# values are tolerated, and MAX_NODES stops any that expand ("billion laughs").
MAX_ALIASES = 100

# Characters in one text (a note, evidence, the notice body): the sample's notice body is
# about 1,100; 20,000 is some ten printed pages.
MAX_TEXT_CHARS = 20_000

# The same problem in one list or mapping is listed this many times, then one more diagnostic
# counts the rest: a file of a million wrong items must not make a million messages.
MAX_REPEATED = 100

# Digits in one number, counted on its text before it is converted (``int`` refuses more than
# 4,300): an amount at MAX_AMOUNT with MAX_PLACES has 19.
MAX_DIGITS = 30

# Decimal places that carry a digit (trailing zeros aside): points go to 3 (0.125), money in
# 万元 to the yuan needs 4.
MAX_PLACES = 6

# The largest number (an amount, target, points, deduction, count, reward…): 10^12 万元 is
# beyond any street office; it keeps every score, ratio and percentage within Decimal's
# default 28 digits when shown.
MAX_AMOUNT = 10**12

# Scoring's decimal precision: a product of two numbers of MAX_DIGITS digits summed over
# every entry of a file stays exact (2 × 30 + 7 digits), with room to spare.
SCORING_PRECISION = 2 * MAX_DIGITS + 20
