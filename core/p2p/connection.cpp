#include "p2p/connection.h"

#include <QRandomGenerator>
#include <QTcpSocket>

#include <algorithm>
#include <limits>

namespace blyan::p2p {

namespace {

constexpr std::size_t kMaxCiphertext = kMaxMessageSize + crypto::kAeadTagSize;

ByteView view(const QByteArray &a, qsizetype from, qsizetype n)
{
    return ByteView(reinterpret_cast<const std::uint8_t *>(a.constData()) + from, static_cast<std::size_t>(n));
}

QString qs(const std::string &s) { return QString::fromStdString(s); }

}  // namespace

Connection::Connection(QTcpSocket *socket, Direction direction, LocalNode local, QObject *parent)
    : QObject(parent), socket_(socket), direction_(direction), local_(std::move(local)), handshakeTimer_(this),
      pingTimer_(this), throttleTimer_(this)
{
    socket_->setParent(this);
    // Qt would otherwise buffer whatever arrives; with a cap it stops reading the socket until we
    // take a frame out, so a flood costs at most one frame of memory.
    socket_->setReadBufferSize(static_cast<qint64>(kMaxCiphertext + kFrameHeaderSize + 65536));
    since_.start();
    lastReceive_.start();
    bucketClock_.start();
    byteClock_.start();
    throttleTimer_.setSingleShot(true);
    connect(&throttleTimer_, &QTimer::timeout, this, &Connection::readAvailable);
    handshakeTimer_.setSingleShot(true);
    handshakeTimer_.setInterval(kHandshakeTimeoutMs);
    connect(&handshakeTimer_, &QTimer::timeout, this, [this] { close(QStringLiteral("handshake timed out")); });
    pingTimer_.setInterval(kPingIntervalMs);
    connect(&pingTimer_, &QTimer::timeout, this, &Connection::ping);
    connect(socket_, &QTcpSocket::readyRead, this, &Connection::readAvailable);
    connect(socket_, &QTcpSocket::disconnected, this, [this] { close(QStringLiteral("peer disconnected")); });
    connect(socket_, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        close(socket_->errorString());
    });
    connect(socket_, &QTcpSocket::connected, this, [this] {
        peerAddress_ = socket_->peerAddress();
        peerPort_ = socket_->peerPort();
        sendHello();
    });
}

Connection::~Connection() = default;

void Connection::start()
{
    handshakeTimer_.start();
    if (socket_->state() == QAbstractSocket::ConnectedState) {
        peerAddress_ = socket_->peerAddress();
        peerPort_ = socket_->peerPort();
        sendHello();
    }
}

void Connection::sendHello()
{
    if (state_ != State::Connecting) return;
    ephemeral_ = crypto::X25519KeyPair::generate();
    Hello h;
    h.networkId = local_.networkId;
    h.genesis = local_.genesis;
    h.ephemeral = ephemeral_->publicKey;
    ourHello_ = encodeHello(h);
    state_ = State::Hello;
    socket_->write(reinterpret_cast<const char *>(ourHello_.data()), static_cast<qint64>(ourHello_.size()));
    bytesSent_ += ourHello_.size();
    readAvailable();  // the peer's Hello may already be here
}

void Connection::setReceiveRateLimit(double bytesPerSecond, double burst)
{
    byteRate_ = bytesPerSecond;
    byteBurst_ = std::max(burst, 1.0);
    byteTokens_ = byteBurst_;
    byteClock_.restart();
}

qint64 Connection::readAllowance()
{
    if (byteRate_ <= 0) return std::numeric_limits<qint64>::max();
    const double elapsed = static_cast<double>(byteClock_.restart()) / 1000.0;
    byteTokens_ = std::min(byteBurst_, byteTokens_ + elapsed * byteRate_);
    return static_cast<qint64>(std::max(0.0, byteTokens_));
}

void Connection::readAvailable()
{
    if (state_ == State::Closed || state_ == State::Connecting || closing_) return;
    // Read only what the byte budget allows; the rest waits in the (capped) socket buffer and the
    // kernel's, so a fast sender is slowed by TCP itself rather than by our memory.
    const qint64 allowance = readAllowance();
    const QByteArray in = socket_->read(std::min(allowance, socket_->bytesAvailable()));
    if (byteRate_ > 0) byteTokens_ -= static_cast<double>(in.size());
    if (byteRate_ > 0 && socket_->bytesAvailable() > 0 && !throttleTimer_.isActive()) {
        ++throttled_;
        // Wake when a useful piece (up to 64 KiB) fits the budget again.
        const double want = std::min({static_cast<double>(socket_->bytesAvailable()), byteBurst_, 65536.0});
        const double missing = std::max(1.0, want - byteTokens_);
        throttleTimer_.start(std::clamp(static_cast<int>(missing * 1000.0 / byteRate_), 5, 1000));
    }
    bytesReceived_ += static_cast<quint64>(in.size());
    buffer_.append(in);
    if (!in.isEmpty()) lastReceive_.restart();
    if (state_ == State::Hello && !readHello()) return;
    while ((state_ == State::Auth || state_ == State::Ready) && !closing_)
        if (!readFrame()) break;
}

bool Connection::readHello()
{
    if (buffer_.size() < static_cast<qsizetype>(kHelloSize)) return false;
    auto theirs = decodeHello(view(buffer_, 0, kHelloSize));
    if (!theirs) {
        close(qs(theirs.error().message));
        return false;
    }
    const Bytes theirBytes(buffer_.begin(), buffer_.begin() + kHelloSize);
    buffer_.remove(0, kHelloSize);
    auto ours = decodeHello(ourHello_);
    if (Status s = checkHello(*theirs, *ours); !s.ok()) {
        close(qs(s.error().message));
        return false;
    }
    const bool initiator = direction_ == Direction::Outbound;
    auto keys = initiator ? crypto::clientSessionKeys(*ephemeral_, theirs->ephemeral)
                          : crypto::serverSessionKeys(*ephemeral_, theirs->ephemeral);
    if (!keys) {  // a low-order ephemeral key: deliberately forcing a known shared secret
        misbehave(kBanScore, QStringLiteral("handshake: %1").arg(qs(keys.error().message)));
        return false;
    }
    tx_ = FrameCipher(std::move(keys->tx));
    rx_ = FrameCipher(std::move(keys->rx));
    ephemeral_.reset();
    transcript_ = initiator ? transcriptHash(ourHello_, theirBytes) : transcriptHash(theirBytes, ourHello_);
    state_ = State::Auth;
    const Auth auth = makeAuth(*local_.identity, initiator, transcript_, local_.listenPort, local_.agent);
    return sendFrame(encodeAuth(auth)).ok();
}

bool Connection::readFrame()
{
    if (buffer_.size() < static_cast<qsizetype>(kFrameHeaderSize)) return false;
    const ByteView header = view(buffer_, 0, kFrameHeaderSize);
    auto len = frameLength(header, kMaxCiphertext);
    if (!len) {
        misbehave(kBanScore, qs(len.error().message));
        return false;
    }
    if (buffer_.size() < static_cast<qsizetype>(kFrameHeaderSize + *len)) return false;
    auto plain = rx_.open(header, view(buffer_, kFrameHeaderSize, *len));
    buffer_.remove(0, static_cast<qsizetype>(kFrameHeaderSize + *len));
    if (!plain) {
        misbehave(kBanScore, qs(plain.error().message));
        return false;
    }
    handlePlaintext(*plain);
    return state_ != State::Closed;
}

void Connection::handlePlaintext(const Bytes &plain)
{
    if (state_ == State::Auth) {
        auto auth = decodeAuth(plain);
        if (!auth) {
            misbehave(kBanScore, QStringLiteral("handshake: %1").arg(qs(auth.error().message)));
            return;
        }
        const bool peerIsInitiator = direction_ == Direction::Inbound;
        if (Status s = checkAuth(*auth, peerIsInitiator, transcript_, local_.identity->publicKey()); !s.ok()) {
            if (s.error().code == ErrorCode::AlreadyExists) {
                selfConnection_ = true;
                close(qs(s.error().message));
            } else {
                misbehave(kBanScore, QStringLiteral("handshake: %1").arg(qs(s.error().message)));
            }
            return;
        }
        peerIdentity_ = auth->identity;
        peerListenPort_ = auth->listenPort;
        peerAgent_ = QString::fromStdString(auth->agent);
        state_ = State::Ready;
        handshakeTimer_.stop();
        pingTimer_.start();
        // A first ping at once, so the peer's latency is known from the start (then every kPingIntervalMs).
        QTimer::singleShot(0, this, &Connection::ping);
        if (onReady) onReady();
        return;
    }
    if (!takeToken()) {
        misbehave(1, QStringLiteral("over the message rate limit (%1/s)").arg(kMessagesPerSecond));
        return;  // dropped
    }
    auto m = decodeMessage(plain);
    if (!m) {
        misbehave(kBanScore, qs(m.error().message));
        return;
    }
    ++messagesIn_;
    if (const auto *p = std::get_if<Ping>(&*m)) {
        (void)send(Pong{p->nonce});
        return;
    }
    if (const auto *p = std::get_if<Pong>(&*m)) {
        if (pingNonce_ != 0 && p->nonce == pingNonce_) {
            pingMs_ = pingSent_.elapsed();
            pingNonce_ = 0;
        }
        return;
    }
    if (onMessage) onMessage(*m);
}

bool Connection::takeToken()
{
    const double elapsed = static_cast<double>(bucketClock_.restart()) / 1000.0;
    tokens_ = std::min(kMessageBurst, tokens_ + elapsed * kMessagesPerSecond);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
}

void Connection::ping()
{
    if (state_ != State::Ready) return;
    if (lastReceive_.elapsed() > kIdleTimeoutMs) {
        close(QStringLiteral("no data from the peer for %1 s").arg(kIdleTimeoutMs / 1000));
        return;
    }
    pingNonce_ = QRandomGenerator::global()->generate64() | 1;
    pingSent_.start();
    (void)send(Ping{pingNonce_});
}

Status Connection::send(const Message &m) { return sendEncoded(encodeMessage(m)); }

Status Connection::sendEncoded(ByteView message)
{
    if (state_ != State::Ready) return makeError(ErrorCode::Unavailable, "connection not ready");
    BLYAN_CHECK(sendFrame(message));
    ++messagesOut_;
    return {};
}

Status Connection::sendFrame(ByteView plaintext)
{
    if ((state_ != State::Auth && state_ != State::Ready) || closing_)
        return makeError(ErrorCode::Unavailable, "connection not ready");
    if (socket_->bytesToWrite() > kMaxSendBacklog) {
        // Not closed here: send() runs inside the upper layers' loops (a broadcast, the sync timer walking
        // its peers, a GetBlocks answer), and a close would call onClosed -> onPeerClosed, which erases
        // the very entries they iterate. Input and output stop now; the close follows from the event loop.
        closing_ = true;
        QMetaObject::invokeMethod(
            this, [this] { close(QStringLiteral("the peer does not read what we send")); }, Qt::QueuedConnection);
        return makeError(ErrorCode::Unavailable, "peer send backlog full");
    }
    BLYAN_TRY(const Bytes frame, tx_.seal(plaintext));
    socket_->write(reinterpret_cast<const char *>(frame.data()), static_cast<qint64>(frame.size()));
    bytesSent_ += frame.size();
    return {};
}

qint64 Connection::sendBacklog() const { return socket_->bytesToWrite(); }

void Connection::misbehave(int score, const QString &reason)
{
    if (onMisbehaviour) onMisbehaviour(score, reason);
    if (score >= kBanScore) close(reason);
}

void Connection::close(const QString &reason)
{
    if (state_ == State::Closed) return;
    state_ = State::Closed;
    handshakeTimer_.stop();
    pingTimer_.stop();
    throttleTimer_.stop();
    socket_->disconnect(this);
    socket_->abort();
    buffer_.clear();
    if (onClosed) onClosed(reason);
}

}  // namespace blyan::p2p
