#pragma once
// The chat's settings beside the conversation: system prompt and sampling (temperature, top-p, top-k,
// min-p, repeat penalty, max tokens, seed). Each chat keeps its own; "Save as default" makes them what
// new chats start with (QSettings chat/defaults). The fields only take values the node accepts, so a
// chat never fails on a setting.

#include "ui/chat/chat_types.h"

#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;
class QTimer;

namespace blyan::ui::chat {

class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPanel(QWidget *parent = nullptr);

    void setSettings(const ChatSettings &s);  // no settingsChanged
    // Reports a system prompt still being typed (its 400 ms pause not over) now, before another chat is shown.
    void flush();
    ChatSettings settings() const;
    // The model's context, to explain Max tokens.
    void setContextLength(qint64 tokens);

    static ChatSettings savedDefaults();
    static QString defaultsKey();

    QPlainTextEdit *systemPrompt() const { return system_; }
    QDoubleSpinBox *temperature() const { return temperature_; }
    QSpinBox *maxTokens() const { return maxTokens_; }

Q_SIGNALS:
    void settingsChanged(const blyan::ui::chat::ChatSettings &s);

private:
    void changed();

    QPlainTextEdit *system_;
    QDoubleSpinBox *temperature_, *topP_, *minP_, *repeat_;
    QSpinBox *topK_, *maxTokens_, *seed_;
    QLabel *maxNote_;
    QTimer *typing_;
    bool loading_ = false;
};

}  // namespace blyan::ui::chat
