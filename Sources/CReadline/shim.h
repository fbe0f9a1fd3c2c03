// GNU readline for the REPL (the default; see the LibEdit trait in Package.swift for libedit).
#include <stdio.h>  // readline.h uses FILE without including stdio.h
#include <readline/readline.h>
#include <readline/history.h>
