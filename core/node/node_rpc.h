#pragma once
// The node's own RPC methods: control (getinfo, help, stop, uptime). Later subsystems register
// theirs (blockchain, wallet, model) in their own files the same way.

namespace blyan::node {

class Node;
class RpcTable;

void registerNodeRpcMethods(RpcTable &table, Node *node);

}  // namespace blyan::node
