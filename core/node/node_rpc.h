#pragma once
// The node's own RPC methods: control (getinfo, help, stop, uptime). Later subsystems register
// theirs (blockchain, wallet, model) in their own files the same way.

namespace blyan::node {

class Node;
class RpcTable;

void registerNodeRpcMethods(RpcTable &table, Node *node);
// The blockchain methods (node_chain_rpc.cpp); registerNodeRpcMethods calls it.
void registerChainRpcMethods(RpcTable &table, Node *node);
// The wallet methods (node_wallet_rpc.cpp); registerNodeRpcMethods calls it.
void registerWalletRpcMethods(RpcTable &table, Node *node);
// The model methods (node_model_rpc.cpp): importmodel, getmodel, chat...; registerNodeRpcMethods calls it.
void registerModelRpcMethods(RpcTable &table, Node *node);

}  // namespace blyan::node
