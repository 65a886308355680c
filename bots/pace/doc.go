// Package pace schedules what qwenbot shows in a chat: it streams each reply
// into its messages as early as the platform allows, without ever being rate
// limited, and always delivers the final text.
//
// A Surface is one chat as a platform adapter offers it (send, edit, draft,
// delete, typing, and the chat's Limits). A Reply streams one answer into a
// Surface: the engine calls Update with each newer State and Finish with the
// last; the Reply shows the newest state whenever the chat's Gate allows,
// dropping states that were overtaken, and lays states out into messages
// with its LayoutFunc. Every Reply of a chat shares the chat's Gate (from
// Gates), which models what the platform allows the chat and spends it
// finals first; every Gate of a platform draws from one per-bot Budget.
//
// The package knows nothing of turns, history or the language model, and
// nothing of any platform's API: adapters implement Surface.
package pace
