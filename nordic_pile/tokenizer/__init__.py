"""A SentencePiece BPE tokenizer with GPT-SW3's settings: training, evaluation, Hugging Face export."""
