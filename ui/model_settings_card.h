#pragma once
// The Settings panel's "Model and expert cache" card: where the model runs (CPU, or CUDA in a GPU build) and how
// much RAM and GPU memory the tiered expert store may use. Reads and writes through the node's
// getmodelsettings / setmodelsettings (Node::call, off the UI thread); a change applies at once (the cache
// resizes, a new device reloads the model on the next chat) and is kept in blyan.conf.

#include "ui/card.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace blyan::node {
class Node;
}

namespace blyan::ui {

class ModelSettingsCard : public Card {
    Q_OBJECT
public:
    explicit ModelSettingsCard(node::Node *node, QWidget *parent = nullptr);
    // Reads the current settings (the panel calls it whenever it is shown).
    void refresh();

private:
    void show(const QJsonObject &s);
    void apply();

    node::Node *node_;
    QComboBox *device_;
    QLineEdit *ram_, *gpu_;
    QLabel *ramInForce_, *gpuInForce_, *status_;
    QPushButton *apply_;
    bool busy_ = false;
};

}  // namespace blyan::ui
