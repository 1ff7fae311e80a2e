#pragma once
// The engine's one exception type. Engine entry points (loading a checkpoint, running a command) throw it
// with a message that names the file, the tensor and what is wrong, so that the caller (a CLI, the node's
// inference worker) can show it unchanged. LibTorch's own c10::Error is caught at those entry points and
// rethrown as EngineError with context.

#include <stdexcept>
#include <string>

namespace blyan::engine {

class EngineError : public std::runtime_error {
public:
    explicit EngineError(const std::string &what) : std::runtime_error(what) {}
};

}  // namespace blyan::engine
