# Checkpoints, architectures, KV cache, sampler, generator, benchmark: part of blyan_engine.
target_sources(blyan_engine PRIVATE
  util/error.h
  checkpoint/safetensors.h checkpoint/safetensors.cpp
  checkpoint/safetensors_writer.h checkpoint/safetensors_writer.cpp
  checkpoint/config.h checkpoint/config.cpp
  checkpoint/checkpoint.h checkpoint/checkpoint.cpp
  checkpoint/tensor_loader.h checkpoint/tensor_loader.cpp
  checkpoint/make_test_model.h checkpoint/make_test_model.cpp
  model/expert_provider.h model/expert_provider.cpp model/weight_handle.h
  model/tiered_expert_store.h model/tiered_expert_store.cpp
  model/model.h model/model_impl.h model/model_load.cpp
  model/linear.h model/linear.cpp model/cpu_ops.h model/cpu_ops.cpp model/forward.cpp model/moe.cpp model/decode_cpu.cpp
  kernels/bf16.h kernels/gemm_bf16.h kernels/gemm_bf16.cpp kernels/elementwise.h kernels/elementwise.cpp kernels/membw.h kernels/membw.cpp
  kernels/thread_pool.h kernels/thread_pool.cpp
  runtime/sampler.h runtime/sampler.cpp
  runtime/generator.h runtime/generator.cpp runtime/text_decoder.h
  runtime/perplexity.h runtime/perplexity.cpp
  runtime/bench.h runtime/bench.cpp
)

# The hot loops are written for full unrolling of small fixed-size accumulator arrays, which GCC does at -O3
# and not at RelWithDebInfo's -O2 (measured: the lm_head matrix-vector product streamed at 22 GB/s instead of
# 36 GB/s on one thread). Debug builds stay unoptimised.
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  set_source_files_properties(kernels/gemm_bf16.cpp kernels/elementwise.cpp model/decode_cpu.cpp model/cpu_ops.cpp
    PROPERTIES COMPILE_OPTIONS "$<$<NOT:$<CONFIG:Debug>>:-O3>")
endif()
