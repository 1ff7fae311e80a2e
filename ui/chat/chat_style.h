#pragma once
// The Chat panel's own colours (messages, code blocks, thoughts, the context bar), light and dark, kept
// beside the panel rather than in the shared theme files. Code blocks use a GitHub-like neutral
// background in both themes, so code stays readable whatever the theme.

#include <QString>

namespace blyan::ui::chat {

QString chatStyleSheet(bool dark);

}  // namespace blyan::ui::chat
