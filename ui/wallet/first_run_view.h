#pragma once
// FirstRunView: what the Wallet panel shows while this data dir has no wallet: two big choices,
// create a new wallet or restore one from its recovery phrase.

#include <QWidget>

namespace blyan::ui {

class FirstRunView : public QWidget {
    Q_OBJECT
public:
    explicit FirstRunView(const QString &network, QWidget *parent = nullptr);

Q_SIGNALS:
    void createRequested();
    void restoreRequested();
};

}  // namespace blyan::ui
