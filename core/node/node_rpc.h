#pragma once
// The node's own RPC methods: control (getinfo, help, stop, uptime). Later subsystems register
// theirs (blockchain, wallet, model) in their own files the same way.

namespace blyan::node {

class Node;
class RpcTable;

void registerNodeRpcMethods(RpcTable &table, Node *node);
// The blockchain methods (node_chain_rpc.cpp); registerNodeRpcMethods calls it.
void registerChainRpcMethods(RpcTable &table, Node *node);
// The consensus methods (node_consensus_rpc.cpp): getconsensusinfo, submitvote; registerNodeRpcMethods calls it.
void registerConsensusRpcMethods(RpcTable &table, Node *node);
// The wallet methods (node_wallet_rpc.cpp); registerNodeRpcMethods calls it.
void registerWalletRpcMethods(RpcTable &table, Node *node);
// The model methods (node_model_rpc.cpp): importmodel, getmodel, chat...; registerNodeRpcMethods calls it.
void registerModelRpcMethods(RpcTable &table, Node *node);
// The network methods (node_p2p_rpc.cpp): getpeerinfo, addnode, setban...; registerNodeRpcMethods calls it.
void registerP2pRpcMethods(RpcTable &table, Node *node);
// The explorer methods (node_explorer_rpc.cpp): listblocks, search, getexpertgrid...; registerNodeRpcMethods calls it.
void registerExplorerRpcMethods(RpcTable &table, Node *node);

// The governance methods (node_governance_rpc.cpp): getgovernanceinfo, listproposals, getproposal.
void registerGovernanceRpcMethods(RpcTable &table, Node *node);

}  // namespace blyan::node
