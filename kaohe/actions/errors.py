"""Why an action could not start: a wrong argument, with a message for the user."""

from __future__ import annotations


class UsageError(Exception):
    """A wrong argument (an unknown revision, a file outside content/): the message is for the user."""
