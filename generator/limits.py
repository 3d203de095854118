"""Limits on inputs that would otherwise make a run explode.

One place for the numbers, so that the CLI, the library and the tests agree.
Parameter ranges (``T`` up to its declared max, ...) live in each family's
``family.yaml``; these are the limits that hold for every family.
"""

MAX_STUDENTS = 500  # papers per run (``--students``)
MAX_FAMILIES = 20  # questions per paper (``--family`` repeated, version IDs)
MAX_VALUE_CHARS = 40  # characters of one ``--set NAME=VALUE`` value
MAX_SEED = 2**63 - 1  # class and variant seeds: 0 .. MAX_SEED
MAX_VERSION_ID_CHARS = 200  # a version ID as typed, dashes and spaces included
# Bank files and specs: generator.validate.MAX_FILE_BYTES (1 MB); one question
# text: 5000 characters (generator/schema/family.schema.json).
