"""Run any pipeline step so that every document it removes is recorded: ledger counts, reason, exclusion file.

Filters (datatrove `BaseFilter`, ours and datatrove's stock ones alike) are run document by document here so the
reason of each drop is known; a document on which a filter or formatter raises is quarantined with the error
instead of ending the run. Other steps are run whole, and a document that goes in and never comes out is
recorded as removed by that step (`<step>_dropped`).
"""

from __future__ import annotations

import traceback

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.filters.base_filter import BaseFilter, get_filter_result
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.batching import batched
from datatrove.utils.logging import logger
from datatrove.utils.typeshelper import StatHints

from nordic_pile.accounting import ledger
from nordic_pile.errors import ConfigError

ENVIRONMENT_ERRORS = (ImportError, MemoryError, FileNotFoundError, PermissionError, ConfigError)
"""Errors that say the step cannot run here at all (a missing package or model file): they end the run with one
line instead of quarantining every document."""


class TrackedStep(PipelineStep):
    """Wraps `step`; its stats are the wrapped step's stats (so they appear under its own name)."""

    def __init__(
        self,
        step: PipelineStep,
        step_id: str,
        exclusion_writer: DiskWriter | None = None,
        quarantine_writer: DiskWriter | None = None,
        on_error: str = "quarantine",
        max_consecutive_errors: int = 50,
    ):
        self.step, self.step_id = step, step_id
        super().__init__()
        self.exclusion_writer, self.quarantine_writer = exclusion_writer, quarantine_writer
        self.on_error, self.max_consecutive_errors = on_error, max_consecutive_errors
        self._consecutive_errors = 0
        self.stats = step.stats
        self.name, self.type = step_id, getattr(step, "type", None)

    def __repr__(self):
        return f"{self.type}: {self.step_id} ({getattr(self.step, 'name', type(self.step).__name__)})"

    # ------------------------------------------------------------------ outcomes
    def _removed(self, doc: Document, reason: str, rank: int) -> None:
        ledger.record_removed(self, self.step_id, reason, doc)
        if self.exclusion_writer is not None:
            doc.metadata["removed_by"], doc.metadata["filter_reason"] = self.step_id, reason
            self.exclusion_writer.write(doc, rank)

    def _failed(self, doc: Document, error: Exception, rank: int) -> None:
        message = f"{type(error).__name__}: {error}"
        if isinstance(error, ENVIRONMENT_ERRORS):
            raise ConfigError(f"step {self.step_id} cannot run: {message}") from error
        if self.on_error == "raise":
            raise error
        self._consecutive_errors += 1
        if self._consecutive_errors >= self.max_consecutive_errors:
            raise RuntimeError(
                f"step {self.step_id} failed on {self._consecutive_errors} documents in a row (last: "
                f"{message}); that is a broken step, not bad documents"
            ) from error
        logger.warning(
            f"quarantined document {doc.id!r} ({ledger.shard_of(doc)}): step {self.step_id} raised {message}"
        )
        ledger.record_quarantined(self, ledger.shard_of(doc), "step_error", ledger.language_of(doc), len(doc.text))
        if self.quarantine_writer is not None:
            doc.metadata.update(
                step=self.step_id,
                error_type="step_error",
                error=message,
                traceback="".join(traceback.format_exception(error))[-4000:],
            )
            self.quarantine_writer.write(doc, rank)

    # ------------------------------------------------------------------ runners
    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        writers = [w for w in (self.exclusion_writer, self.quarantine_writer) if w is not None]
        try:
            if isinstance(self.step, BaseFilter) and type(self.step).run is BaseFilter.run:
                yield from self._run_filter(data, rank)
            elif isinstance(self.step, BaseFormatter) and type(self.step).run is BaseFormatter.run:
                yield from self._run_formatter(data, rank)
            else:
                yield from self._run_opaque(data, rank, world_size)
        finally:
            for writer in writers:
                writer.close()

    def _run_filter(self, data: DocumentsPipeline, rank: int) -> DocumentsPipeline:
        step = self.step
        for batch in batched(data, step.batch_size):
            with step.track_time("batch" if step.batch_size > 1 else None):
                try:
                    results = step.filter_batch(batch)
                except Exception as e:  # noqa: BLE001 - isolate the document that fails (below)
                    if len(batch) > 1 or self.on_error == "raise":
                        results = [self._filter_one(doc, rank) for doc in batch]
                    else:
                        self._failed(batch[0], e, rank)
                        continue
            for doc, result in zip(batch, results):
                if result is None:  # already quarantined
                    continue
                self._consecutive_errors = 0
                step.stat_update(StatHints.total)
                keep, reason = get_filter_result(result)
                if keep:
                    step.stat_update(StatHints.forwarded)
                    yield doc
                else:
                    step.stat_update(StatHints.dropped)
                    reason = reason or f"{self.step_id}_dropped"
                    step.stat_update(f"dropped_{reason}")
                    self._removed(doc, reason, rank)

    def _filter_one(self, doc: Document, rank: int):
        try:
            return self.step.filter(doc)
        except Exception as e:  # noqa: BLE001
            self._failed(doc, e, rank)
            return None

    def _run_formatter(self, data: DocumentsPipeline, rank: int) -> DocumentsPipeline:
        step = self.step
        for doc in data:
            step.stat_update(StatHints.total)
            try:
                with step.track_time():
                    doc.text = step.format(doc.text)
            except Exception as e:  # noqa: BLE001
                self._failed(doc, e, rank)
                continue
            self._consecutive_errors = 0
            yield doc

    def _run_opaque(self, data: DocumentsPipeline, rank: int, world_size: int) -> DocumentsPipeline:
        # Documents still inside the step, in arrival order. A step that keeps order (nearly all do; set
        # `preserves_order = False` on one that does not) has dropped every document that arrived before the one
        # it yields now, so those are settled at once and memory stays bounded by what the step buffers.
        pending: dict[int, Document] = {}
        in_order = getattr(self.step, "preserves_order", True)

        def tap(docs):
            for doc in docs or ():
                pending[id(doc)] = doc
                yield doc

        for doc in self.step.run(tap(data), rank, world_size):
            key = id(doc)
            if key not in pending:
                ledger.record_created(self, doc)
            elif in_order:
                while (first := next(iter(pending))) != key:
                    self._dropped(pending.pop(first), rank)
                pending.pop(key)
            else:
                pending.pop(key)
            yield doc
        for doc in pending.values():
            self._dropped(doc, rank)

    def _dropped(self, doc: Document, rank: int) -> None:
        # a step that overrides `run` may still say why, the way datatrove's filters do
        self._removed(doc, doc.metadata.pop("filter_reason", None) or f"{self.step_id}_dropped", rank)


class KeptCounter(PipelineStep):
    """Counts every document reaching the final writer as kept (last step of the last stage)."""

    type = "📊 - ACCOUNTING"
    name = "kept"

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            ledger.record_kept(self, doc)
            yield doc
