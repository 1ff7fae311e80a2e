#include "ui/chat/chat_style.h"

namespace blyan::ui::chat {

QString chatStyleSheet(bool dark)
{
    struct Colours {
        const char *userBg, *border, *text, *muted, *codeBg, *codeHead, *codeText, *thinkBar, *sideBg, *over;
    };
    static const Colours light{"#F1F3F9", "#E1E4EA", "#1F2328", "#687080", "#F6F8FA",
                               "#EAEEF2", "#1F2328", "#C7CBD3", "#F7F8FA", "#D97706"};
    static const Colours darkC{"#252932", "#343944", "#E6E8EB", "#9AA1AB", "#0F1115",
                               "#1B1E24", "#E6E8EB", "#4A505C", "#1A1D22", "#F59E0B"};
    const Colours &c = dark ? darkC : light;
    return QStringLiteral(
               "#ChatSidebar { background: %9; border-right: 1px solid %2; }"
               "#ChatList { background: transparent; border: none; }"
               "#ChatHeader { border-bottom: 1px solid %2; }"
               "#ChatTitle { color: %3; }"
               "#ChatView, #ChatCanvas { background: transparent; }"
               "QFrame#Message { border: 1px solid transparent; border-radius: 12px; }"
               "QFrame#Message[role=\"user\"] { background: %1; border-color: %2; }"
               "#MessageAuthor { color: %3; font-weight: 700; }"
               "#MessageStats, #VariantLabel, #ChatEmptyHint { color: %4; }"
               "#MessageStatus[tone=\"muted\"] { color: %4; }"
               "#CodeBlock { background: %5; border: 1px solid %2; border-radius: 8px; }"
               "#CodeHeader { background: %6; border-top-left-radius: 8px; border-top-right-radius: 8px; }"
               "#CodeLanguage { color: %4; }"
               "QPlainTextEdit#CodeText { background: %5; color: %7; border: none; border-bottom-left-radius: 8px;"
               " border-bottom-right-radius: 8px; }"
               "#ThinkingBlock { border-left: 3px solid %8; }"
               "#ThinkingTitle { color: %4; font-style: italic; }"
               "#ThinkingText { color: %4; }"
               "#ChatSettingsPanel { border-left: 1px solid %2; }"
               "QProgressBar#ContextBar[level=\"over\"]::chunk { background: %10; }"
               "#HistoryNote[tone=\"warning\"] { color: %11; background: %12; border: 1px solid %13; border-radius: 8px;"
               " padding: 8px 10px; }")
        .arg(QLatin1String(c.userBg), QLatin1String(c.border), QLatin1String(c.text), QLatin1String(c.muted),
             QLatin1String(c.codeBg), QLatin1String(c.codeHead), QLatin1String(c.codeText), QLatin1String(c.thinkBar),
             QLatin1String(c.sideBg))
        .arg(QLatin1String(c.over), QLatin1String(dark ? "#FCD34D" : "#92400E"), QLatin1String(dark ? "#3A2E12" : "#FEF3C7"),
             QLatin1String(dark ? "#7C5E10" : "#FCD34D"));
}

}  // namespace blyan::ui::chat
