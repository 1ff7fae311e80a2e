#pragma once
// FieldList: a titled card of "name  value" rows for the Explorer's detail views. Values are selectable
// and may hold links (linkHtml); a click on one comes out as linkActivated(href). Rows can be hidden
// (a field a transaction kind does not have). Tests find values by key through value().

#include <QFrame>
#include <QHash>

class QGridLayout;
class QLabel;
class QVBoxLayout;

namespace blyan::ui {

class FieldList : public QFrame {
    Q_OBJECT
public:
    explicit FieldList(const QString &title, QWidget *parent = nullptr);

    // Adds a row; `mono` for hashes and hex (fixed-width font, wraps anywhere).
    QLabel *add(const QString &key, const QString &name, bool mono = false);
    void setText(const QString &key, const QString &text);  // plain text
    void setHtml(const QString &key, const QString &html);  // rich text with links
    void setRowVisible(const QString &key, bool visible);
    void setTitle(const QString &title);
    QLabel *value(const QString &key) const { return values_.value(key); }
    // Plain text of every value and the title back to "—" before a new object is shown.
    void clear();
    QVBoxLayout *body() const { return body_; }

Q_SIGNALS:
    void linkActivated(const QString &href);

private:
    QVBoxLayout *body_;
    QLabel *title_;
    QGridLayout *grid_;
    QHash<QString, QLabel *> values_, names_;
    int rows_ = 0;
};

}  // namespace blyan::ui
