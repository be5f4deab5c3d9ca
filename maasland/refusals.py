"""The one shape of a refused state change, whatever app refuses it."""


class Refusal(Exception):
    """A refused change, with the Dutch message for the user (and the form field it concerns, if any)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
