"""Errors a user can cause; the CLI turns each into one line on stderr and a non-zero exit."""


class UserError(Exception):
    """Something about the input, the model or the flags that the user can fix."""


class SourceError(UserError):
    """The camera, video, image or folder cannot be opened or read."""


class ModelError(UserError):
    """The model file is missing, unreadable or not a digit model."""
