// GNU readline for the REPL (the default; see the LibEdit trait in Package.swift for libedit).
#include <stdio.h>  // readline.h uses FILE without including stdio.h
#include <readline/readline.h>
#include <readline/history.h>

// Readline's record of where its display left the cursor (display.c: row of the cursor, its
// column, and the last row the line takes). They are not in readline.h, but readline 6 to 8
// export them. soup draws the line itself (rl_redisplay_function) and keeps them current, so
// that readline's own cursor moves (before listing completions, after Ctrl-L) start from the
// right place; rl_on_new_line() sets them to 0, which tells soup that a fresh line began.
extern int _rl_last_c_pos;
extern int _rl_last_v_pos;
extern int _rl_vis_botlin;
