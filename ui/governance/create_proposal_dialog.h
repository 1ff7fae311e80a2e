#pragma once
// CreateProposalDialog: the form for a new proposal. The kind decides the fields (a parameter with its
// bounds, a chain-D dataset and its tier, a chain-A object, a recipient and an amount); every field is
// checked as it is typed against the live rules (getgovernanceinfo), and the node's own refusal is shown
// inline when it has the last word. Submitting unlocks the wallet if needed and calls createproposal.

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QStackedWidget;

namespace blyan::ui {

class GovernanceModel;

class CreateProposalDialog : public QDialog {
    Q_OBJECT
public:
    explicit CreateProposalDialog(GovernanceModel *governance, QWidget *parent = nullptr);

    // Whether the form is complete and valid now (the Submit button follows it).
    bool isValid() const { return valid_; }

Q_SIGNALS:
    void created(const QString &proposalId);

private:
    void kindChanged();
    void paramChanged();
    void revalidate();
    void submit();
    QString kind() const;

    GovernanceModel *governance_;
    QComboBox *kind_, *param_, *tier_;
    QLineEdit *title_, *value_, *datasetObject_, *object_, *to_, *amount_, *deposit_;
    QPlainTextEdit *text_;
    QStackedWidget *details_;
    QLabel *kindInfo_, *paramInfo_, *titleStatus_, *textStatus_, *detailStatus_, *depositStatus_, *result_;
    QDialogButtonBox *buttons_;
    bool valid_ = false;
    bool busy_ = false;
};

}  // namespace blyan::ui
