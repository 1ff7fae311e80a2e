# Tokenizer and chat templates: plain C++ (no LibTorch needed), part of blyan_engine.
target_sources(blyan_engine PRIVATE
)
