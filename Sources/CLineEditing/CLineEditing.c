#include "CLineEditing.h"

#include <stdio.h>  // readline.h uses FILE without including stdio.h
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef SOUP_LIBEDIT

// libedit, linked: its GNU-compatible names are called directly.
#include <editline/readline.h>

const char *soup_rl_load(void) { return NULL; }

void soup_rl_configure(const char *name, const char *word_breaks, soup_rl_completion_function complete) {
    rl_readline_name = strdup(name);
    rl_catch_signals = 0;
    // libedit splits words by the basic set when completing.
    rl_basic_word_break_characters = strdup(word_breaks);
    rl_completer_word_break_characters = strdup(word_breaks);
    // libedit stops editing (and reading, in callback mode) when its output is not a terminal:
    // with standard output redirected, it edits on the terminal itself.
    if (!isatty(1)) {
        FILE *terminal = fopen("/dev/tty", "w");
        if (terminal) rl_outstream = terminal;
    }
    rl_attempted_completion_function = complete;
}

void soup_rl_add_history(const char *line) { add_history(line); }
void soup_rl_callback_handler_install(const char *prompt, soup_rl_line_handler handler) {
    rl_callback_handler_install(prompt, handler);
}
void soup_rl_callback_handler_remove(void) { rl_callback_handler_remove(); }
void soup_rl_callback_read_char(void) { rl_callback_read_char(); }
void soup_rl_resize_terminal(int redrawing) {
    (void)redrawing;
    rl_resize_terminal();  // libedit's re-reads the size and redraws nothing
}
void soup_rl_discard_line(void) {
    rl_free_line_state();
    rl_replace_line("", 0);
}
char *soup_rl_line_buffer(void) { return (char *)rl_line_buffer; }
void soup_rl_set_attempted_completion_over(int over) { rl_attempted_completion_over = over; }
void soup_rl_set_completion_append_character(int character) { rl_completion_append_character = character; }
char **soup_rl_completion_matches(const char *text, soup_rl_generator generator) {
    return rl_completion_matches(text, generator);
}

#else

// GNU readline, opened with dlopen: readline.h is included for its types only.
#include <dlfcn.h>
#include <pthread.h>
#include <readline/history.h>
#include <readline/readline.h>

// Every function and variable soup uses, looked up once by load_readline.
#define SOUP_READLINE_FUNCTIONS(X) \
    X(add_history)                 \
    X(rl_callback_handler_install) \
    X(rl_callback_handler_remove)  \
    X(rl_callback_read_char)       \
    X(rl_callback_sigcleanup)      \
    X(rl_resize_terminal)          \
    X(rl_reset_screen_size)        \
    X(rl_free_line_state)          \
    X(rl_replace_line)             \
    X(rl_completion_matches)
#define SOUP_READLINE_VARIABLES(X)        \
    X(rl_readline_name)                   \
    X(rl_catch_signals)                   \
    X(rl_catch_sigwinch)                  \
    X(rl_completer_word_break_characters) \
    X(rl_attempted_completion_function)   \
    X(rl_attempted_completion_over)       \
    X(rl_line_buffer)                     \
    X(rl_completion_append_character)

#define SOUP_DECLARE_FUNCTION(name) __typeof__(name) *name;
#define SOUP_DECLARE_VARIABLE(name) __typeof__(name) *name;
static struct {
    SOUP_READLINE_FUNCTIONS(SOUP_DECLARE_FUNCTION)
    SOUP_READLINE_VARIABLES(SOUP_DECLARE_VARIABLE)
} readline_library;
#define RL readline_library

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const char *load_failure;
static char load_failure_text[512];

static void record_dlerror(void) {
    snprintf(load_failure_text, sizeof load_failure_text, "%s", dlerror());
    load_failure = load_failure_text;
}

static void load_readline(void) {
    void *library = dlopen(SOUP_READLINE_NAME, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        record_dlerror();  // If the fallback fails too, the versioned name's error says more.
        library = dlopen("libreadline.so", RTLD_NOW | RTLD_LOCAL);
        if (!library) return;
        load_failure = NULL;
    }
#define SOUP_LOOK_UP(name)                                                   \
    if (!(readline_library.name = (__typeof__(name) *)dlsym(library, #name))) { \
        record_dlerror();                                                    \
        dlclose(library);                                                    \
        return;                                                              \
    }
    SOUP_READLINE_FUNCTIONS(SOUP_LOOK_UP)
    SOUP_READLINE_VARIABLES(SOUP_LOOK_UP)
}

const char *soup_rl_load(void) {
    pthread_once(&load_once, load_readline);
    return load_failure;
}

void soup_rl_configure(const char *name, const char *word_breaks, soup_rl_completion_function complete) {
    *RL.rl_readline_name = strdup(name);
    *RL.rl_catch_signals = 0;
    *RL.rl_catch_sigwinch = 0;
    *RL.rl_completer_word_break_characters = strdup(word_breaks);
    *RL.rl_attempted_completion_function = complete;
}

void soup_rl_add_history(const char *line) { RL.add_history(line); }
void soup_rl_callback_handler_install(const char *prompt, soup_rl_line_handler handler) {
    RL.rl_callback_handler_install(prompt, handler);
}
void soup_rl_callback_handler_remove(void) { RL.rl_callback_handler_remove(); }
void soup_rl_callback_read_char(void) { RL.rl_callback_read_char(); }
void soup_rl_resize_terminal(int redrawing) {
    if (redrawing) {
        RL.rl_resize_terminal();
    } else {
        RL.rl_reset_screen_size();
    }
}
void soup_rl_discard_line(void) {
    RL.rl_free_line_state();
    RL.rl_callback_sigcleanup();
    RL.rl_replace_line("", 0);
}
char *soup_rl_line_buffer(void) { return *RL.rl_line_buffer; }
void soup_rl_set_attempted_completion_over(int over) { *RL.rl_attempted_completion_over = over; }
void soup_rl_set_completion_append_character(int character) { *RL.rl_completion_append_character = character; }
char **soup_rl_completion_matches(const char *text, soup_rl_generator generator) {
    return RL.rl_completion_matches(text, generator);
}

#endif
