#include "chain/object_dag.h"

#include <cstring>
#include <deque>
#include <unordered_map>

namespace blyan::chain {

namespace {

std::string shortId(const ObjectId &id) { return crypto::hashToHex(id).substr(0, 16); }

}  // namespace

Status checkObjectDependencies(const ObjectId &id, std::span<const ObjectId> dependsOn,
                               const DependencyLookup &lookup, std::size_t maxVisited)
{
    // Breadth-first from the dependencies; `parent` remembers how each object was reached so that a
    // cycle can be reported as a path.
    std::unordered_map<ObjectId, ObjectId, crypto::Hash256Hasher> parent;
    std::deque<ObjectId> queue;
    for (std::size_t i = 0; i < dependsOn.size(); ++i) {
        const ObjectId &dep = dependsOn[i];
        if (dep == id)
            return makeError(ErrorCode::InvalidArgument, "object.depends_on[" + std::to_string(i) +
                                                             "] is the object itself: remove it");
        BLYAN_TRY(auto deps, lookup(dep));
        if (!deps)
            return makeError(ErrorCode::NotFound, "object.depends_on[" + std::to_string(i) + "]: object " +
                                                      crypto::hashToHex(dep) +
                                                      " is not on the chain: publish it first");
        if (parent.emplace(dep, id).second) queue.push_back(dep);
    }
    while (!queue.empty()) {
        const ObjectId node = queue.front();
        queue.pop_front();
        BLYAN_TRY(auto deps, lookup(node));
        if (!deps) continue;  // a dangling edge in the lookup cannot lead back to `id`
        for (const ObjectId &next : *deps) {
            if (next == id) {
                std::string path = shortId(id);
                for (ObjectId at = node; at != id; at = parent.at(at)) path.insert(0, shortId(at) + " -> ");
                path.insert(0, shortId(id) + " -> ");
                return makeError(ErrorCode::InvalidArgument,
                                 "object.depends_on would create a cycle (" + path +
                                     "): an object cannot depend, directly or not, on itself");
            }
            if (!parent.emplace(next, node).second) continue;
            if (parent.size() > maxVisited)
                return makeError(ErrorCode::LimitExceeded,
                                 "object.depends_on reaches more than " + std::to_string(maxVisited) +
                                     " objects: depend on fewer, closer objects");
            queue.push_back(next);
        }
    }
    return {};
}

Status checkObjectDependencies(const ObjectRecord &record, const DependencyLookup &lookup, std::size_t maxVisited)
{
    return checkObjectDependencies(objectId(record), record.dependsOn, lookup, maxVisited);
}

}  // namespace blyan::chain
