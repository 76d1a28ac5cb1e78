"""Errors Warta raises.

Each class's docstring is its default message; the CLI shows it without a traceback.
"""


class WartaError(Exception):
    """Warta failed."""

    status = 500

    def __init__(self, message: str | None = None):
        super().__init__(message or (self.__doc__ or "").strip())


class BadInput(WartaError):
    """The input could not be read as a news article (empty, binary, wrongly encoded or malformed)."""

    status = 400


class NoSuchStage(WartaError):
    """No pipeline stage has that name: see `warta.pipeline.STAGES` for the registered ones."""

    status = 400


class StageOrderError(WartaError):
    """A stage needs something no earlier stage provides: reorder the pipeline."""

    status = 500


class BadLexicon(WartaError):
    """A data file under warta/data/ is malformed: fix the file named in the message."""

    status = 500


class SettingError(WartaError, ValueError):
    """Unknown or invalid setting."""

    status = 400


class StoreError(WartaError):
    """The store could not be opened or written."""

    status = 500
