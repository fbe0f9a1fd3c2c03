// libedit's GNU-compatible readline API, chosen with `swift build --traits LibEdit`.
#include <stdio.h>
#include <editline/readline.h>
