#pragma once
// One encrypted P2P connection over a QTcpSocket: the handshake of handshake.h, then AEAD frames
// (frame.h) carrying messages (messages.h). Lives on the node's network thread (the node worker);
// every callback runs there.
//
// Limits, all enforced here so no caller can forget them: a frame over kMaxMessageSize is refused
// from its 4-byte header (nothing of it is buffered); the socket's read buffer is capped; the handshake
// must finish within kHandshakeTimeoutMs; a connection that receives nothing for kIdleTimeoutMs is
// closed (we ping every kPingIntervalMs, so a live peer always sends); a peer that does not read what
// we send (over kMaxSendBacklog buffered) is closed; messages are rate limited by a token bucket, and
// received bytes by another (past it the socket is not read until the budget refills: back-pressure).
//
// Protocol violations (undecryptable frame, oversized frame, bad Auth signature, a message that does
// not decode strictly) report a misbehaviour score of 100 (a ban) and close. A different network or
// genesis closes without score: that is a misconfigured node, not an attacker.

#include "crypto/ed25519.h"
#include "p2p/frame.h"
#include "p2p/handshake.h"
#include "p2p/messages.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

class QTcpSocket;

namespace blyan::p2p {

inline constexpr int kHandshakeTimeoutMs = 10'000;
inline constexpr int kPingIntervalMs = 20'000;
inline constexpr int kIdleTimeoutMs = 90'000;
inline constexpr qint64 kMaxSendBacklog = 64 * 1024 * 1024;
inline constexpr double kMessagesPerSecond = 500;  // sustained; bursts up to kMessageBurst
inline constexpr double kMessageBurst = 4000;
// Bytes read from one peer: past the bucket the connection stops reading (TCP pushes back on the
// sender) until tokens refill. Throttling, not a ban: an honest node syncing blocks and 1 MiB payload
// chunks only slows down. 32 MiB/s keeps one peer from taking the node's CPU (AEAD + decoding) while
// several peers together still saturate a gigabit link.
inline constexpr double kBytesPerSecond = 32.0 * 1024 * 1024;
inline constexpr double kByteBurst = 8.0 * 1024 * 1024;
inline constexpr int kBanScore = 100;

// What this node tells its peers about itself.
struct LocalNode {
    const crypto::KeyPair *identity = nullptr;  // must outlive every connection
    std::uint32_t networkId = 0;
    crypto::Hash256 genesis{};
    std::uint16_t listenPort = 0;
    std::string agent;
};

enum class Direction { Inbound, Outbound };

class Connection : public QObject {
    Q_OBJECT
public:
    // Takes the socket (reparented to this). An outbound socket may still be connecting: the Hello goes
    // out once it is connected.
    Connection(QTcpSocket *socket, Direction direction, LocalNode local, QObject *parent = nullptr);
    ~Connection() override;

    void start();
    bool ready() const { return state_ == State::Ready; }
    bool closed() const { return state_ == State::Closed; }
    Status send(const Message &m);
    // A message already encoded (encodeMessage): a broadcast encodes once for every peer.
    Status sendEncoded(ByteView message);
    // One frame with this plaintext (send() encodes a message into it). Public so a test can act as a
    // broken peer and check that the other side refuses what it sends.
    Status sendFrame(ByteView plaintext);
    void close(const QString &reason);

    Direction direction() const { return direction_; }
    const crypto::PublicKey &peerIdentity() const { return peerIdentity_; }
    QHostAddress peerAddress() const { return peerAddress_; }
    quint16 peerPort() const { return peerPort_; }
    quint16 peerListenPort() const { return peerListenPort_; }
    QString peerAgent() const { return peerAgent_; }
    quint64 bytesSent() const { return bytesSent_; }
    quint64 bytesReceived() const { return bytesReceived_; }
    qint64 pingMs() const { return pingMs_; }  // -1 until the first pong
    qint64 connectedForMs() const { return since_.elapsed(); }
    QTcpSocket *socket() const { return socket_; }
    // Messages that decoded (Ping/Pong included) and messages sent, after the handshake.
    quint64 messagesReceived() const { return messagesIn_; }
    quint64 messagesSent() const { return messagesOut_; }
    // The peer's Auth named our own identity: we dialled ourselves through some address.
    bool selfConnection() const { return selfConnection_; }
    // Receive budget in bytes/s and burst (defaults kBytesPerSecond / kByteBurst); <= 0 turns it off.
    void setReceiveRateLimit(double bytesPerSecond, double burst);
    // How many times reading paused because the peer sent faster than the budget.
    quint64 throttleCount() const { return throttled_; }
    // Bytes queued for the peer and not yet taken by the kernel (what a server checks before doing the
    // work of a large answer).
    qint64 sendBacklog() const;

    std::function<void()> onReady;
    std::function<void(const Message &)> onMessage;
    std::function<void(int score, const QString &reason)> onMisbehaviour;
    std::function<void(const QString &reason)> onClosed;

private:
    enum class State { Connecting, Hello, Auth, Ready, Closed };
    void sendHello();
    void readAvailable();
    bool readHello();
    bool readFrame();  // false: wait for more bytes, or closed
    void handlePlaintext(const Bytes &plain);
    void misbehave(int score, const QString &reason);
    bool takeToken();
    qint64 readAllowance();
    void ping();

    QTcpSocket *socket_;
    Direction direction_;
    LocalNode local_;
    State state_ = State::Connecting;
    QByteArray buffer_;
    std::optional<crypto::X25519KeyPair> ephemeral_;
    Bytes ourHello_;
    crypto::Hash256 transcript_{};
    FrameCipher tx_, rx_;
    crypto::PublicKey peerIdentity_{};
    QHostAddress peerAddress_;
    quint16 peerPort_ = 0;
    quint16 peerListenPort_ = 0;
    QString peerAgent_;
    quint64 bytesSent_ = 0, bytesReceived_ = 0;
    qint64 pingMs_ = -1;
    std::uint64_t pingNonce_ = 0;
    QElapsedTimer pingSent_, since_, lastReceive_, bucketClock_;
    double tokens_ = kMessageBurst;
    quint64 messagesIn_ = 0, messagesOut_ = 0;
    bool selfConnection_ = false;
    // The send backlog overflowed: nothing more is read or sent, and close() follows from the event loop.
    bool closing_ = false;
    double byteRate_ = kBytesPerSecond, byteBurst_ = kByteBurst, byteTokens_ = kByteBurst;
    QElapsedTimer byteClock_;
    quint64 throttled_ = 0;
    QTimer handshakeTimer_, pingTimer_, throttleTimer_;
};

}  // namespace blyan::p2p
