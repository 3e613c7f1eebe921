"""Steps used only by tests (imported by path from recipes, so worker processes can unpickle them)."""

import time

from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.formatters.base import BaseFormatter


class RaiseOnMarker(BaseFilter):
    """Raise on documents containing `marker` (a bug in a step must not end the run)."""

    name = "raise_on_marker"

    def __init__(self, marker: str = "BOOM"):
        super().__init__()
        self.marker = marker

    def filter(self, doc) -> bool:
        if self.marker in doc.text:
            raise ValueError(f"found {self.marker}")
        return True


class SlowFormatter(BaseFormatter):
    """Sleep `seconds` per document, so a test can kill a run in the middle."""

    name = "slow"

    def __init__(self, seconds: float = 0.05):
        super().__init__()
        self.seconds = seconds

    def format(self, text: str) -> str:
        time.sleep(self.seconds)
        return text


class NeedsMissingPackage(BaseFilter):
    """Imports a package that is not installed, on the first document."""

    name = "needs_missing_package"

    def filter(self, doc) -> bool:
        import a_package_that_is_not_installed  # noqa: F401

        return True
