# Checkpoint, forward pass, sampler and generator tests.
