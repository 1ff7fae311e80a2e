#pragma once
// ObjectView: one object record of chain A, B or D: every field of the record, where it was anchored (the
// block and the publish_object transaction), whether its payload is on this node, the objects it depends
// on and those that depend on it (by name, linked), every version of its name with the head marked, and
// for an expert how often it ran here. "Show in DAG" opens the DAG on it.

#include "ui/explorer/detail_view.h"

class QPushButton;

namespace blyan::ui {

class FieldList;

class ObjectView : public DetailView {
    Q_OBJECT
public:
    explicit ObjectView(ExplorerModel *explorer, QWidget *parent = nullptr);

    // An object id (64 hex) or a name (its head).
    void showObject(const QString &idOrName);
    QString objectId() const { return id_; }
    QString objectName() const { return name_; }
    FieldList *fields() const { return fields_; }
    FieldList *links() const { return links_; }
    QPushButton *dagButton() const { return dagButton_; }

private:
    void showRecord(const QJsonObject &o);
    void showLinks(const QJsonObject &l);
    void showUsage(const QJsonObject &grid);

    FieldList *fields_, *links_, *versions_;
    QPushButton *dagButton_;
    QString id_, name_;
};

}  // namespace blyan::ui
