# Tokenizer and chat-template tests.
