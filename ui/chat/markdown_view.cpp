#include "ui/chat/markdown_view.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <cmath>

namespace blyan::ui::chat {

namespace {

const QString kThinkOpen = QStringLiteral("<think>");
const QString kThinkClose = QStringLiteral("</think>");

void appendProse(QList<MarkdownSegment> &out, const QString &text)
{
    for (const QString &p : splitParagraphs(text)) out.append({MarkdownSegment::Prose, p, QString(), false});
}

// A vertical wheel goes to the conversation's scroll area; a horizontal one scrolls long code lines.
class CodeEdit : public QPlainTextEdit {
public:
    using QPlainTextEdit::QPlainTextEdit;

protected:
    void wheelEvent(QWheelEvent *e) override
    {
        if (e->angleDelta().x() == 0) e->ignore();
        else QPlainTextEdit::wheelEvent(e);
    }
};

}  // namespace

QStringList splitParagraphs(const QString &text)
{
    // A new group starts at a line after a blank line, at the left margin, and not the next item of a list in
    // the group: such a line can only begin a new block, so rendering the groups apart gives the same result
    // (a list stays whole, since Qt numbers every list from 1 and would restart a split ordered list).
    static const QRegularExpression listItem(QStringLiteral("^(\\d{1,9}[.)]|[-*+])(\\s|$)"));
    QStringList out;
    QString group;
    bool blank = false, inList = false;  // inList: the group holds a list, which must not be cut
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const bool empty = line.trimmed().isEmpty();
        const bool item = !empty && listItem.match(line).hasMatch();
        if (!empty && blank && !group.trimmed().isEmpty() && !line.front().isSpace() && !(item && inList)) {
            while (group.endsWith(QLatin1Char('\n'))) group.chop(1);
            out.append(group);
            group.clear();
            inList = false;
        }
        group += line + QLatin1Char('\n');
        blank = empty;
        inList = inList || item;
    }
    while (group.endsWith(QLatin1Char('\n'))) group.chop(1);
    if (!group.trimmed().isEmpty()) out.append(group);
    return out;
}

QList<MarkdownSegment> splitMarkdown(const QString &input)
{
    QList<MarkdownSegment> out;
    QString text = input;
    // Qwen3 starts an answer with its reasoning in <think>...</think> (empty when thinking is off).
    const qsizetype lead = text.indexOf(kThinkOpen);
    if (lead >= 0 && text.left(lead).trimmed().isEmpty()) {
        const qsizetype start = lead + kThinkOpen.size();
        const qsizetype end = text.indexOf(kThinkClose, start);
        const QString thought = (end < 0 ? text.mid(start) : text.mid(start, end - start)).trimmed();
        if (!thought.isEmpty() || end < 0) out.append({MarkdownSegment::Thinking, thought, QString(), end < 0});
        text = end < 0 ? QString() : text.mid(end + kThinkClose.size());
    }

    static const QRegularExpression fence(QStringLiteral("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*)[^`]*$"));
    const QStringList lines = text.split(QLatin1Char('\n'));
    QString prose, code, language;
    QString openFence;  // the fence of the code block being read; empty in prose
    for (const QString &line : lines) {
        if (openFence.isEmpty()) {
            const auto m = fence.match(line);
            if (m.hasMatch()) {
                appendProse(out, prose);
                prose.clear();
                openFence = m.captured(1);
                language = m.captured(2);
                code.clear();
            } else {
                prose += line + QLatin1Char('\n');
            }
            continue;
        }
        const QString t = line.trimmed();
        static const QRegularExpression indent(QStringLiteral("^ {0,3}\\S"));
        const bool closes = indent.match(line).hasMatch() && t.size() >= openFence.size() &&
                            t == QString(t.size(), openFence.front());
        if (closes) {
            if (code.endsWith(QLatin1Char('\n'))) code.chop(1);
            out.append({MarkdownSegment::Code, code, language, false});
            openFence.clear();
        } else {
            code += line + QLatin1Char('\n');
        }
    }
    if (!openFence.isEmpty()) {
        if (code.endsWith(QLatin1Char('\n'))) code.chop(1);
        out.append({MarkdownSegment::Code, code, language, true});
    } else {
        if (prose.endsWith(QLatin1Char('\n'))) prose.chop(1);
        appendProse(out, prose);
    }
    return out;
}

// --- TextBlock -----------------------------------------------------------------------------------------

TextBlock::TextBlock(QWidget *parent) : QTextBrowser(parent)
{
    setFrameShape(QFrame::NoFrame);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setOpenExternalLinks(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setTextInteractionFlags(Qt::TextBrowserInteraction | Qt::TextSelectableByKeyboard);
    setContextMenuPolicy(Qt::DefaultContextMenu);
    viewport()->setAutoFillBackground(false);
    setAttribute(Qt::WA_TranslucentBackground);
    document()->setDocumentMargin(2);
    connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this, [this] { fit(); });
}

QSize TextBlock::sizeHint() const
{
    return {QTextBrowser::sizeHint().width(), height()};
}

void TextBlock::resizeEvent(QResizeEvent *e)
{
    QTextBrowser::resizeEvent(e);
    fit();
}

void TextBlock::wheelEvent(QWheelEvent *e) { e->ignore(); }

void TextBlock::fit()
{
    const int w = viewport()->width();
    if (w <= 0) return;
    if (!qFuzzyCompare(document()->textWidth(), qreal(w))) document()->setTextWidth(w);
    const int h = int(std::ceil(document()->size().height())) + 2 * frameWidth();
    if (h != height()) setFixedHeight(h);
}

// --- CodeBlock -----------------------------------------------------------------------------------------

CodeBlock::CodeBlock(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("CodeBlock"));
    setAttribute(Qt::WA_StyledBackground);
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(0);
    auto *head = new QWidget;
    head->setObjectName(QStringLiteral("CodeHeader"));
    head->setAttribute(Qt::WA_StyledBackground);
    auto *row = new QHBoxLayout(head);
    row->setContentsMargins(10, 3, 4, 3);
    language_ = new QLabel;
    language_->setObjectName(QStringLiteral("CodeLanguage"));
    auto *copy = new QToolButton;
    copy->setObjectName(QStringLiteral("CopyCodeButton"));
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy this code block"));
    copy->setAutoRaise(true);
    connect(copy, &QToolButton::clicked, this, [this, copy] {
        QGuiApplication::clipboard()->setText(code_);
        copy->setText(tr("Copied"));
        QTimer::singleShot(1500, copy, [copy] { copy->setText(tr("Copy")); });
    });
    row->addWidget(language_);
    row->addStretch(1);
    row->addWidget(copy);
    col->addWidget(head);
    edit_ = new CodeEdit;
    edit_->setObjectName(QStringLiteral("CodeText"));
    edit_->setReadOnly(true);
    edit_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    edit_->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit_->setFrameShape(QFrame::NoFrame);
    edit_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    edit_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    edit_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit_->document()->setDocumentMargin(8);
    col->addWidget(edit_);
    connect(edit_->horizontalScrollBar(), &QScrollBar::rangeChanged, this, [this] { fit(); });
}

void CodeBlock::setCode(const QString &code, const QString &language)
{
    language_->setText(language.isEmpty() ? tr("code") : language);
    if (code == code_) return;
    // Streaming appends at the end: insert the new part instead of laying the whole text out again.
    if (!code_.isEmpty() && code.startsWith(code_)) {
        QTextCursor c(edit_->document());
        c.movePosition(QTextCursor::End);
        c.insertText(code.mid(code_.size()));
    } else {
        edit_->setPlainText(code);
    }
    code_ = code;
    fit();
}

void CodeBlock::fit()
{
    const QFontMetrics fm(edit_->font());
    const int lines = std::max(1, int(edit_->document()->blockCount()));
    const int bar = edit_->horizontalScrollBar()->maximum() > 0 ? edit_->horizontalScrollBar()->sizeHint().height() : 0;
    edit_->setFixedHeight(lines * fm.lineSpacing() + int(2 * edit_->document()->documentMargin()) + bar + 2);
}

// --- MarkdownView --------------------------------------------------------------------------------------

MarkdownView::MarkdownView(QWidget *parent) : QWidget(parent)
{
    layout_ = new QVBoxLayout(this);
    layout_->setContentsMargins(0, 0, 0, 0);
    layout_->setSpacing(8);
}

QList<CodeBlock *> MarkdownView::codeBlocks() const
{
    QList<CodeBlock *> out;
    for (QWidget *w : widgets_)
        if (auto *c = qobject_cast<CodeBlock *>(w)) out.append(c);
    return out;
}

QWidget *MarkdownView::makeWidget(const MarkdownSegment &s)
{
    switch (s.kind) {
    case MarkdownSegment::Code: return new CodeBlock;
    case MarkdownSegment::Prose: return new TextBlock;
    case MarkdownSegment::Thinking: {
        auto *box = new QWidget;
        box->setObjectName(QStringLiteral("ThinkingBlock"));
        box->setAttribute(Qt::WA_StyledBackground);
        auto *col = new QVBoxLayout(box);
        col->setContentsMargins(10, 6, 10, 6);
        col->setSpacing(2);
        auto *title = new QLabel;
        title->setObjectName(QStringLiteral("ThinkingTitle"));
        col->addWidget(title);
        return box;
    }
    }
    return nullptr;
}

// Paragraph groups as TextBlocks from layout item `first` on; only the groups that changed are set again.
void MarkdownView::fillParagraphs(QVBoxLayout *layout, int first, const QStringList &groups, const QString &objectName)
{
    for (int i = 0; i < groups.size(); ++i) {
        QLayoutItem *item = layout->itemAt(first + i);
        auto *block = item ? static_cast<TextBlock *>(item->widget()) : nullptr;
        if (!block) {
            block = new TextBlock;
            block->setObjectName(objectName);
            layout->addWidget(block);
        }
        if (block->property("source").toString() != groups[i]) {
            block->setMarkdown(groups[i]);
            block->setProperty("source", groups[i]);
        }
    }
    while (layout->count() > first + groups.size()) delete layout->takeAt(layout->count() - 1)->widget();
}

void MarkdownView::fill(QWidget *w, const MarkdownSegment &s)
{
    switch (s.kind) {
    case MarkdownSegment::Code: static_cast<CodeBlock *>(w)->setCode(s.text, s.language); break;
    case MarkdownSegment::Prose: static_cast<TextBlock *>(w)->setMarkdown(s.text); break;
    case MarkdownSegment::Thinking:
        w->findChild<QLabel *>(QStringLiteral("ThinkingTitle"))->setText(s.open ? tr("Thinking…") : tr("Thoughts"));
        fillParagraphs(static_cast<QVBoxLayout *>(w->layout()), 1, splitParagraphs(s.text), QStringLiteral("ThinkingText"));
        break;
    }
}

void MarkdownView::setMarkdown(const QString &text)
{
    if (text == text_ && !widgets_.isEmpty()) return;
    text_ = text;
    const QList<MarkdownSegment> segs = splitMarkdown(text);
    for (int i = 0; i < segs.size(); ++i) {
        if (i < segments_.size() && segments_[i] == segs[i]) continue;
        if (i < widgets_.size() && segments_[i].kind != segs[i].kind) {  // another kind: rebuild from here
            while (widgets_.size() > i) delete widgets_.takeLast();
            segments_ = segments_.mid(0, i);
        }
        if (i >= widgets_.size()) {
            QWidget *w = makeWidget(segs[i]);
            layout_->addWidget(w);
            widgets_.append(w);
        }
        fill(widgets_[i], segs[i]);
    }
    while (widgets_.size() > segs.size()) delete widgets_.takeLast();
    segments_ = segs;
}

}  // namespace blyan::ui::chat
