// Line editing for the REPL: GNU readline (the default) or, with the LibEdit trait, libedit's
// readline API. The REPL calls only these soup_rl_... functions, which have plain C types, so
// Swift sees one API whichever library is behind it.
//
// GNU readline and the libtinfo it needs cost every run about 1,800 symbol relocations and 24
// page faults at start, a sixth of `soup query DB 'SELECT 1'`, though only the REPL edits lines.
// So libreadline is opened with dlopen when the REPL starts (soup_rl_load), and the wrappers
// call it through pointers; they are named soup_... so that none stands in for one of
// readline's own symbols. libedit (a trait, for BSD-licensed builds) is linked as usual.

#ifndef SOUP_CLINEEDITING_H
#define SOUP_CLINEEDITING_H

/// Called with each finished line (malloc'd; NULL at end of input).
typedef void (*soup_rl_line_handler)(char *line);
/// Completes `text`, the word from `start` to `end` in the line; returns the matches or NULL.
typedef char **(*soup_rl_completion_function)(const char *text, int start, int end);
/// Returns match number `state` (0 first) for `text`, malloc'd, or NULL after the last.
typedef char *(*soup_rl_generator)(const char *text, int state);

/// The library soup opens (GNU readline); the unversioned name is tried next.
#define SOUP_READLINE_NAME "libreadline.so.8"

/// Loads the library, once; later calls return at once. Returns NULL on success, or why it
/// could not be loaded (dlerror's text). The functions below need it to have succeeded.
const char *soup_rl_load(void);

/// Names the program (for ~/.inputrc), leaves signals to soup, sets the characters that end a
/// word to complete, and the completion function.
void soup_rl_configure(const char *name, const char *word_breaks, soup_rl_completion_function complete);

void soup_rl_add_history(const char *line);
void soup_rl_callback_handler_install(const char *prompt, soup_rl_line_handler handler);
void soup_rl_callback_handler_remove(void);
void soup_rl_callback_read_char(void);
/// Re-reads the terminal's size; `redrawing` also redraws the line being edited.
void soup_rl_resize_terminal(int redrawing);
/// Drops the line being edited and its undo state (Ctrl-C at the prompt).
void soup_rl_discard_line(void);

/// For completion functions: the line being edited, and the switches they set.
char *soup_rl_line_buffer(void);
void soup_rl_set_attempted_completion_over(int over);
void soup_rl_set_completion_append_character(int character);
char **soup_rl_completion_matches(const char *text, soup_rl_generator generator);

#endif
