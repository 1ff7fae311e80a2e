# Checkpoints, architectures, KV cache, sampler, generator, benchmark: part of blyan_engine.
target_sources(blyan_engine PRIVATE
)
