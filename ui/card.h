#pragma once
// Card: a rounded, titled panel holding label/value rows (styled as QFrame#Card in the theme
// stylesheets). Values are selectable so users can copy a path or an endpoint.

#include <QFrame>

class QGridLayout;
class QLabel;
class QVBoxLayout;

namespace blyan::ui {

class Card : public QFrame {
    Q_OBJECT
public:
    explicit Card(const QString &title, QWidget *parent = nullptr);

    // Adds a "name  value" row; returns the value label (objectName set for tests and QSS).
    QLabel *addField(const QString &name, const QString &objectName);
    // Free text under the rows (explanations, "not available" notes).
    QLabel *addNote(const QString &text);
    QVBoxLayout *body() const { return body_; }
    // Lays later fields out in n label/value column pairs (wide cards); default 1.
    void setFieldColumns(int n) { columns_ = n; }

private:
    QVBoxLayout *body_;
    QGridLayout *grid_;
    int columns_ = 1;
    int fields_ = 0;
};

// A page title with a one-line description under it.
QWidget *makePageHeader(const QString &title, const QString &subtitle, QWidget *parent = nullptr);
// A vertical scroll area holding `content`, with the page margins every page uses.
QWidget *makeScrollPage(QWidget *content, QWidget *parent = nullptr);

}  // namespace blyan::ui
