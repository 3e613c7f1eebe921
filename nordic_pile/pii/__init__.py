"""Nordic personal identifiers: detection with checksum and date validation, counting and redaction."""

PII_TYPES = ("se_personnummer", "no_fodselsnummer", "dk_cpr", "is_kennitala", "email", "phone", "iban", "ip")
"""Every type the detector reports, in the order placeholders and tables list them."""
