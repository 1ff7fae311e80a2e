#pragma once
// DetailView: the frame every Explorer detail view (block, transaction, object, address) shares: a
// scrolling column with a title, a subtitle, a loading/error line and the view's cards. Answers to an
// older request are dropped by generation, so a fast click-through never shows a stale object.

#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace blyan::ui {

class ExplorerModel;

class DetailView : public QWidget {
    Q_OBJECT
public:
    explicit DetailView(ExplorerModel *explorer, QWidget *parent = nullptr);

    QString title() const;
    // "Loading…", the error of the last request, or empty when everything answered.
    QString status() const;
    bool isLoading() const { return pending_ > 0; }
    // The key (hash, txid, object id, address) of what is shown; empty while nothing is.
    const QString &key() const { return key_; }

Q_SIGNALS:
    // A link inside the view: "block:HASH", "tx:TXID", "object:ID", "address:ADDR", "dag:ID".
    void linkActivated(const QString &href);

protected:
    QVBoxLayout *content() const { return content_; }
    void setTitle(const QString &title, const QString &subtitle = QString());
    // Starts a new request set of `requests` answers; returns its generation.
    quint64 begin(const QString &key, int requests);
    bool current(quint64 generation) const { return generation == generation_; }
    // One answer of the current set arrived (an error message is kept and shown).
    void answered(quint64 generation, const QString &error = QString());

    ExplorerModel *explorer_;

private:
    void showStatus();

    QVBoxLayout *content_;
    QLabel *title_, *subtitle_, *status_;
    QString key_, error_;
    quint64 generation_ = 0;
    int pending_ = 0;
};

// Long hex (signatures, bodies) in lines of 64 digits, so that it wraps inside the card.
QString hexLines(const QString &hex);

}  // namespace blyan::ui
