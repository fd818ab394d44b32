"""Errors that users see: each names where the problem is and what it is, in one line."""


class InputError(ValueError):
    """Bad user input (scenario file, upload, link, command-line argument).

    Args:
        message: what is wrong, in plain words.
        source: the file, link or argument the input came from.
        key: the dotted key inside it, e.g. ``levers.stid_budget_share.2030``.
    """

    def __init__(self, message: str, source: str | None = None, key: str | None = None):
        self.message = message
        self.source = source
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ": ".join(p for p in (self.source, self.key) if p)
        return f"{where}: {self.message}" if where else self.message


class CalibrationError(InputError):
    """The profile and the assumptions contradict each other in the base year."""
