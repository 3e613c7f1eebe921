"""SentencePiece settings, with GPT-SW3's as defaults (Ekgren et al. 2023, Section 4: BPE, 64,000 pieces).

GPT-SW3 trained a SentencePiece BPE model with split digits, byte fallback and a dummy prefix, without
normalisation inside the tokenizer (our curation already made the text NFC) and without removing extra
whitespace, so runs of spaces and tabs (code indentation) are tokens of their own. The special pieces are
pad/unk/bos/eos = 0/1/2/3 with `<|endoftext|>` as eos. Training is made deterministic by a fixed seed and one
thread; the sample it reads is bounded by `input_sentence_size` (a seeded reservoir sample of lines).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from nordic_pile.errors import ConfigError

WHITESPACE_RUNS = tuple("▁" * n for n in range(2, 25)) + tuple("\t" * n for n in range(1, 5)) + ("\n",)
"""User-defined pieces: runs of 2-24 spaces (sentencepiece writes a space as `▁`), 1-4 tabs and the line break, so
that indentation and layout cost one token per run instead of one per character."""

CODE_LANGUAGES = (
    "python",
    "javascript",
    "typescript",
    "java",
    "c",
    "cpp",
    "csharp",
    "go",
    "rust",
    "php",
    "ruby",
    "shell",
    "sql",
    "html",
    "css",
    "markdown",
    "json",
    "yaml",
    "r",
    "julia",
    "kotlin",
    "swift",
    "scala",
    "haskell",
    "lua",
    "perl",
    "tex",
    "dockerfile",
)
"""Programming languages that get a control token `<|code:NAME|>`, for tagging code documents by language (as code
models do); control tokens never come out of encoding text, so they cost nothing when unused."""


@dataclass(frozen=True)
class TokenizerSettings:
    vocab_size: int = 64_000
    model_type: str = "bpe"
    split_digits: bool = True
    byte_fallback: bool = True
    add_dummy_prefix: bool = True
    normalization_rule_name: str = "identity"
    remove_extra_whitespaces: bool = False
    allow_whitespace_only_pieces: bool = True
    user_defined_symbols: tuple[str, ...] = WHITESPACE_RUNS
    code_languages: tuple[str, ...] = CODE_LANGUAGES
    character_coverage: float = 0.9999
    pad_piece: str = "<pad>"
    unk_piece: str = "<unk>"
    bos_piece: str = "<s>"
    eos_piece: str = "<|endoftext|>"
    input_sentence_size: int = 10_000_000
    """Lines the trainer keeps (a seeded random sample of them); memory grows with it (~1-2 GB per 10M lines)."""
    max_sentence_length: int = 16_384
    """Bytes; longer lines are cut at a space before training (sentencepiece would drop them)."""
    train_extremely_large_corpus: bool = False
    seed: int = 1234
    num_threads: int = 1
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.model_type not in ("bpe", "unigram"):
            raise ConfigError(f"model_type={self.model_type!r}; use bpe (GPT-SW3) or unigram")
        reserved = 4 + (256 if self.byte_fallback else 0) + len(self.user_defined_symbols) + len(self.code_languages)
        if self.vocab_size <= reserved:
            raise ConfigError(
                f"--vocab-size {self.vocab_size} leaves no room for learned pieces: {reserved} are "
                "reserved (specials, 256 bytes, whitespace runs, code tokens); use a larger vocabulary"
            )
        if not 0 < self.character_coverage <= 1:
            raise ConfigError(f"--character-coverage {self.character_coverage} must be in (0, 1]")
        if self.num_threads != 1:
            raise ConfigError("num_threads must be 1: sentencepiece's multi-threaded training is not deterministic")

    @property
    def control_symbols(self) -> tuple[str, ...]:
        return tuple(f"<|code:{name}|>" for name in self.code_languages)

    def trainer_kwargs(self) -> dict:
        """Keyword arguments of `sentencepiece.SentencePieceTrainer.train` (without input and model_prefix)."""
        kwargs = dict(
            model_type=self.model_type,
            vocab_size=self.vocab_size,
            split_digits=self.split_digits,
            byte_fallback=self.byte_fallback,
            add_dummy_prefix=self.add_dummy_prefix,
            normalization_rule_name=self.normalization_rule_name,
            remove_extra_whitespaces=self.remove_extra_whitespaces,
            allow_whitespace_only_pieces=self.allow_whitespace_only_pieces,
            user_defined_symbols=list(self.user_defined_symbols),
            control_symbols=list(self.control_symbols),
            character_coverage=self.character_coverage,
            pad_id=0,
            unk_id=1,
            bos_id=2,
            eos_id=3,
            pad_piece=self.pad_piece,
            unk_piece=self.unk_piece,
            bos_piece=self.bos_piece,
            eos_piece=self.eos_piece,
            input_sentence_size=self.input_sentence_size,
            shuffle_input_sentence=True,
            max_sentence_length=self.max_sentence_length,
            train_extremely_large_corpus=self.train_extremely_large_corpus,
            num_threads=self.num_threads,
            hard_vocab_limit=True,
            minloglevel=2,
        )
        return kwargs | self.extra

    def to_json(self) -> dict:
        return asdict(self)
