"""Typed errors. The library raises them; only ``generator.cli`` prints them."""


class GradexError(Exception):
    """Base class: a problem the user can fix, reported as one line."""


class UsageError(GradexError):
    """Bad input from the user (unknown family, bad parameter value...)."""


class ParameterError(UsageError):
    """A ``--set NAME=VALUE`` that cannot be parsed or is out of range."""


class UnknownFamily(UsageError):
    """A family id that the question bank does not have."""


class BankError(GradexError):
    """A question-bank file or exam spec that is malformed."""


class OutputError(GradexError):
    """The output cannot be written (exists, unwritable, disk full...)."""


class ValueRangeError(UsageError):
    """A computed value beyond what can be exported (e.g. larger than a float)."""


class Interrupted(GradexError):
    """Ctrl-C during a batch (exit status 130)."""


class VersionIdError(UsageError):
    """A version ID that cannot be decoded."""


class SpecError(UsageError):
    """An exam spec that is malformed or names what the bank does not have."""
