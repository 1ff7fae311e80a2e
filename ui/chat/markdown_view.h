#pragma once
// How a message is shown: the text is split into prose, fenced code blocks and a Qwen3 <think> block.
// Prose goes through QTextDocument::setMarkdown; each code block gets its own monospaced box with the
// language and a Copy button, on a background that reads in both themes (ChatPage's stylesheet). While
// an answer streams, only the segments that changed are laid out again, and prose is cut into paragraph
// groups, so the cost of a new token does not grow with the length of the answer.

#include <QList>
#include <QPlainTextEdit>
#include <QString>
#include <QTextBrowser>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace blyan::ui::chat {

struct MarkdownSegment {
    enum Kind { Prose, Code, Thinking };
    Kind kind = Prose;
    QString text;      // without the fences
    QString language;  // code: the info string's first word
    bool open = false; // code/thinking not closed yet (streaming)
    bool operator==(const MarkdownSegment &) const = default;
};

// Splits CommonMark fences (``` or ~~~, at most 3 spaces of indent, closed by the same character at
// least as long) and a leading <think>...</think>. Prose segments are never empty.
QList<MarkdownSegment> splitMarkdown(const QString &text);
// Prose cut into groups of paragraphs that render the same apart as together (a new group starts only
// where a new block must start), so a streamed token lays out only the last group, not the whole answer.
QStringList splitParagraphs(const QString &text);

// A read-only rich text block as tall as its content (no scroll bar of its own; wheel events go to
// the conversation's scroll area).
class TextBlock : public QTextBrowser {
    Q_OBJECT
public:
    explicit TextBlock(QWidget *parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {0, 0}; }

protected:
    void resizeEvent(QResizeEvent *e) override;
    void wheelEvent(QWheelEvent *e) override;

private:
    void fit();
};

class CodeBlock : public QWidget {
    Q_OBJECT
public:
    explicit CodeBlock(QWidget *parent = nullptr);
    void setCode(const QString &code, const QString &language);
    QString code() const { return code_; }

private:
    void fit();
    QLabel *language_;
    QPlainTextEdit *edit_;
    QString code_;
};

class MarkdownView : public QWidget {
    Q_OBJECT
public:
    explicit MarkdownView(QWidget *parent = nullptr);
    void setMarkdown(const QString &text);
    QString markdown() const { return text_; }
    // The code blocks shown (tests, copy).
    QList<CodeBlock *> codeBlocks() const;

private:
    QWidget *makeWidget(const MarkdownSegment &s);
    void fill(QWidget *w, const MarkdownSegment &s);
    static void fillParagraphs(QVBoxLayout *layout, int first, const QStringList &groups, const QString &objectName);

    QVBoxLayout *layout_;
    QString text_;
    QList<MarkdownSegment> segments_;
    QList<QWidget *> widgets_;
};

}  // namespace blyan::ui::chat
