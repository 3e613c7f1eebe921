"""The `pii` step: count personal identifiers per type in every document, and optionally redact them."""

from __future__ import annotations

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter

from nordic_pile.errors import ConfigError
from nordic_pile.pii import PII_TYPES
from nordic_pile.pii.detect import count_pii, find_pii, redact


class PiiScanner(BaseFilter):
    """Count e-mail, phone, IBAN, IP and Nordic identity numbers per document (metadata `pii`); redaction optional.

    Never drops a document: it is a filter only so that a document it fails on is quarantined with the error.
    Counts per type go to `doc.metadata["pii"]` (`{}` when none) and to the step stats (`pii_<type>`), which the
    run summary lists under `step_stats`. With `redact: true` every identifier becomes a typed placeholder made
    from `placeholder` (`<{TYPE}>` gives `<SE_PERSONNUMMER>`, `<EMAIL>`).
    """

    name = "pii"
    type = "🔒 - PII"

    def __init__(
        self,
        redact: bool = False,
        types: list[str] | None = None,
        placeholder: str = "<{TYPE}>",
        private_ips: bool = False,
    ):
        super().__init__()
        unknown = sorted(set(types or ()) - set(PII_TYPES))
        if unknown:
            raise ConfigError(f"types={types!r}: unknown {', '.join(unknown)}; use some of {', '.join(PII_TYPES)}")
        if types is not None and not types:
            raise ConfigError("types=[]: nothing to detect; leave types out to detect every type")
        if "{TYPE}" not in placeholder and "{type}" not in placeholder:
            raise ConfigError(f"placeholder={placeholder!r} must contain {{TYPE}} or {{type}}, e.g. '<{{TYPE}}>'")
        self.redact, self.placeholder, self.private_ips = redact, placeholder, private_ips
        self.types = frozenset(types) if types is not None else None

    def filter(self, doc: Document) -> bool:
        spans = find_pii(doc.text, doc.metadata.get("language"), self.types, public_ip=not self.private_ips)
        counts = count_pii(spans)
        doc.metadata["pii"] = counts
        if counts:
            self.stat_update("docs_with_pii")
            for kind, n in counts.items():
                self.stat_update(f"pii_{kind}", value=n)
            if self.redact:
                doc.text = redact(doc.text, spans, self.placeholder)
                self.stat_update("docs_redacted")
        return True
