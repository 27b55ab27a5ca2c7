"""Errors that the command line reports as one line with exit code 2."""


class CtzError(Exception):
    """Bad input from the user: unknown name, malformed file, unreachable service.

    The CLI prints ``str(error)`` on one line and exits with code 2; no traceback.
    """
