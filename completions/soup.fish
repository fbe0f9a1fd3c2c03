function __soup_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __soup_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __soup_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __soup_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __soup_parse_tokens -S
    set -l unparsed_tokens (__soup_tokens -pc)
    switch $unparsed_tokens[1]
    case 'soup'
        __soup_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'query'
            __soup_parse_subcommand -r 2 'watch=' 'continue' 'f/format=' 'expanded=' 'read-only' 'b/bind=' 'config=' 'echo' 'null=' 'no-color' 'pager' 'no-pager' 'timing' 'tx=' 'dry-run' 'create' 'v/verbose' 'limit=' 'safe-updates' 'version' 'h/help'
        case 'run'
            __soup_parse_subcommand -r 2 'continue' 'f/format=' 'expanded=' 'read-only' 'b/bind=' 'config=' 'echo' 'null=' 'no-color' 'pager' 'no-pager' 'timing' 'tx=' 'dry-run' 'create' 'v/verbose' 'limit=' 'safe-updates' 'version' 'h/help'
        case 'demo'
            __soup_parse_subcommand 0 'path=' 'version' 'h/help'
        case 'tables'
            __soup_parse_subcommand 1 'counts' 'schema=' 'f/format=' 'expanded=' 'read-only' 'b/bind=' 'config=' 'echo' 'null=' 'no-color' 'pager' 'no-pager' 'timing' 'tx=' 'dry-run' 'create' 'v/verbose' 'limit=' 'safe-updates' 'version' 'h/help'
        case 'schema'
            __soup_parse_subcommand -r 2 'f/format=' 'schema=' 'b/bind=' 'config=' 'read-only' 'echo' 'create' 'v/verbose' 'version' 'h/help'
        case 'status'
            __soup_parse_subcommand 1 'json' 'f/format=' 'expanded=' 'read-only' 'b/bind=' 'config=' 'echo' 'null=' 'no-color' 'pager' 'no-pager' 'timing' 'tx=' 'dry-run' 'create' 'v/verbose' 'limit=' 'safe-updates' 'version' 'h/help'
        case 'import'
            __soup_parse_subcommand 3 'input-format=' 'delimiter=' 'no-header' 'null=' 'encoding=' 'create' 'pk=+' 'replace' 'upsert' 'truncate' 'dry-run' 'continue' 'infer-rows=' 'read-only' 'b/bind=' 'config=' 'echo' 'v/verbose' 'version' 'h/help'
        case 'copy'
            __soup_parse_subcommand -r 3 'where=' 'schema-only' 'data-only' 'dry-run' 'create' 'config=' 'echo' 'v/verbose' 'version' 'h/help'
        case 'help'
            __soup_parse_subcommand -r 1 'version'
        end
    end
end

function __soup_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __soup_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __soup_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __soup_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__soup_tokens -p)
    if test -z "$(__soup_tokens -t)"
        set -l index (count (__soup_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'soup' -f
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup" version' -l 'version' -d 'Show the version.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup" -eq 1' -fa 'query' -d 'Run each statement in order and print each result.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup" -eq 1' -fa 'run' -d 'Run script files (\'-\' reads standard input).'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup" -eq 1' -fa 'demo' -d 'Create the demo SQLite database if it is missing, then open the REPL on it.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup" -eq 1' -fa 'tables' -d 'List tables and views (with row counts).'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup" -eq 1' -fa 'schema' -d 'Describe tables: columns, keys, foreign keys, indexes; or draw them.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup" -eq 1' -fa 'status' -d 'Show the bindings, their roles, transaction state and replica lag.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup" -eq 1' -fa 'import' -d 'Load a CSV, TSV, JSON or JSON Lines file into a table, all rows or none.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup" -eq 1' -fa 'copy' -d 'Copy tables between two databases (SQLite and PostgreSQL, either way), schema and rows.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup query" -eq 1' -fa '(set -l exts \'db\' \'sqlite\' \'sqlite3\' \'db3\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup query" -ge 2' -fka '(__soup_custom_completion ---completion query -- positional@1 (count (__soup_tokens -pc)) (__soup_tokens -tC))'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" watch' -l 'watch' -d 'Run the statements again every SECONDS until Ctrl-C, redrawn in place on a terminal with changed cells highlighted (reads only).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" continue' -l 'continue' -d 'Go on after a failed statement (psql\'s ON_ERROR_ROLLBACK).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" f format' -s 'f' -l 'format' -d 'Output format: table, wrapped, expanded, csv, tsv, json, jsonl, markdown or sql.' -rfka 'table wrapped expanded csv tsv json jsonl markdown sql'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" expanded' -l 'expanded' -d 'Expanded display: on, off, or auto (expanded when the table would be wider than the terminal; the REPL\'s default).' -rfka 'on off auto'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" read-only' -l 'read-only' -d 'Refuse writes: SQLite opens the file read-only; every PostgreSQL transaction is READ ONLY.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" b bind' -s 'b' -l 'bind' -d 'Send every statement to this binding of the profile (writer, reader, ...).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" config' -l 'config' -d 'The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" echo' -l 'echo' -d 'Print every SQL statement sent, with its parameters, to standard error.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" null' -l 'null' -d 'Text shown for NULL in table, wrapped, expanded and markdown output (default: a dim empty-set sign on a colour terminal, else nothing).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" no-color' -l 'no-color' -d 'Never colour the output (NO_COLOR in the environment does the same).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" pager' -l 'pager' -d 'Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" no-pager' -l 'no-pager' -d 'Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" timing' -l 'timing' -d 'Print how long each statement took to standard error.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" tx' -l 'tx' -d 'Transaction mode: file (one transaction for everything), statement (commit each statement) or none (as written).' -rfka 'file statement none'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" dry-run' -l 'dry-run' -d 'Run everything in one transaction, then roll back (refused for a script that manages transactions).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" create' -l 'create' -d 'Create the SQLite database file when it does not exist.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" v verbose' -s 'v' -l 'verbose' -d 'Say more about what happens.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" limit' -l 'limit' -d 'Show at most N rows of each result, and say so in the footer; the rest is not read (the REPL\'s default is 1,000; 0 shows all).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" safe-updates' -l 'safe-updates' -d 'Refuse an UPDATE or DELETE without WHERE, and update() or delete() of an unfiltered entity.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" version' -l 'version' -d 'Show the version.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup query" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup run" -eq 1' -fa '(set -l exts \'db\' \'sqlite\' \'sqlite3\' \'db3\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup run" -ge 2' -F
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" continue' -l 'continue' -d 'Go on after a failed statement (psql\'s ON_ERROR_ROLLBACK).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" f format' -s 'f' -l 'format' -d 'Output format: table, wrapped, expanded, csv, tsv, json, jsonl, markdown or sql.' -rfka 'table wrapped expanded csv tsv json jsonl markdown sql'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" expanded' -l 'expanded' -d 'Expanded display: on, off, or auto (expanded when the table would be wider than the terminal; the REPL\'s default).' -rfka 'on off auto'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" read-only' -l 'read-only' -d 'Refuse writes: SQLite opens the file read-only; every PostgreSQL transaction is READ ONLY.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" b bind' -s 'b' -l 'bind' -d 'Send every statement to this binding of the profile (writer, reader, ...).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" config' -l 'config' -d 'The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" echo' -l 'echo' -d 'Print every SQL statement sent, with its parameters, to standard error.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" null' -l 'null' -d 'Text shown for NULL in table, wrapped, expanded and markdown output (default: a dim empty-set sign on a colour terminal, else nothing).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" no-color' -l 'no-color' -d 'Never colour the output (NO_COLOR in the environment does the same).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" pager' -l 'pager' -d 'Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" no-pager' -l 'no-pager' -d 'Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" timing' -l 'timing' -d 'Print how long each statement took to standard error.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" tx' -l 'tx' -d 'Transaction mode: file (one transaction for everything), statement (commit each statement) or none (as written).' -rfka 'file statement none'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" dry-run' -l 'dry-run' -d 'Run everything in one transaction, then roll back (refused for a script that manages transactions).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" create' -l 'create' -d 'Create the SQLite database file when it does not exist.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" v verbose' -s 'v' -l 'verbose' -d 'Say more about what happens.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" limit' -l 'limit' -d 'Show at most N rows of each result, and say so in the footer; the rest is not read (the REPL\'s default is 1,000; 0 shows all).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" safe-updates' -l 'safe-updates' -d 'Refuse an UPDATE or DELETE without WHERE, and update() or delete() of an unfiltered entity.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" version' -l 'version' -d 'Show the version.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup demo" path' -l 'path' -d 'Where to keep the demo database.' -rfa '(set -l exts \'db\' \'sqlite\' \'sqlite3\' \'db3\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup demo" version' -l 'version' -d 'Show the version.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup demo" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup tables" -eq 1' -fa '(set -l exts \'db\' \'sqlite\' \'sqlite3\' \'db3\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" counts' -l 'counts' -d 'Add each table\'s exact row count (runs count(*) on every table).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" schema' -l 'schema' -d 'Only this schema (PostgreSQL) or attached database (SQLite: main, temp, ...).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" f format' -s 'f' -l 'format' -d 'Output format: table, wrapped, expanded, csv, tsv, json, jsonl, markdown or sql.' -rfka 'table wrapped expanded csv tsv json jsonl markdown sql'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" expanded' -l 'expanded' -d 'Expanded display: on, off, or auto (expanded when the table would be wider than the terminal; the REPL\'s default).' -rfka 'on off auto'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" read-only' -l 'read-only' -d 'Refuse writes: SQLite opens the file read-only; every PostgreSQL transaction is READ ONLY.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" b bind' -s 'b' -l 'bind' -d 'Send every statement to this binding of the profile (writer, reader, ...).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" config' -l 'config' -d 'The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" echo' -l 'echo' -d 'Print every SQL statement sent, with its parameters, to standard error.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" null' -l 'null' -d 'Text shown for NULL in table, wrapped, expanded and markdown output (default: a dim empty-set sign on a colour terminal, else nothing).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" no-color' -l 'no-color' -d 'Never colour the output (NO_COLOR in the environment does the same).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" pager' -l 'pager' -d 'Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" no-pager' -l 'no-pager' -d 'Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" timing' -l 'timing' -d 'Print how long each statement took to standard error.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" tx' -l 'tx' -d 'Transaction mode: file (one transaction for everything), statement (commit each statement) or none (as written).' -rfka 'file statement none'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" dry-run' -l 'dry-run' -d 'Run everything in one transaction, then roll back (refused for a script that manages transactions).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" create' -l 'create' -d 'Create the SQLite database file when it does not exist.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" v verbose' -s 'v' -l 'verbose' -d 'Say more about what happens.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" limit' -l 'limit' -d 'Show at most N rows of each result, and say so in the footer; the rest is not read (the REPL\'s default is 1,000; 0 shows all).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" safe-updates' -l 'safe-updates' -d 'Refuse an UPDATE or DELETE without WHERE, and update() or delete() of an unfiltered entity.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" version' -l 'version' -d 'Show the version.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup tables" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup schema" -eq 1' -fa '(set -l exts \'db\' \'sqlite\' \'sqlite3\' \'db3\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup schema" -ge 2' -fka '(__soup_custom_completion ---completion schema -- positional@1 (count (__soup_tokens -pc)) (__soup_tokens -tC))'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup schema" f format' -s 'f' -l 'format' -d 'Schema format: text, json, dot or mermaid.' -rfka 'text json dot mermaid'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup schema" schema' -l 'schema' -d 'Only this schema (PostgreSQL) or attached database (SQLite); also qualifies bare TABLE names.' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup schema" b bind' -s 'b' -l 'bind' -d 'Send every statement to this binding of the profile (writer, reader, ...).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup schema" config' -l 'config' -d 'The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup schema" read-only' -l 'read-only' -d 'Open the database read-only.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup schema" echo' -l 'echo' -d 'Print every catalog query sent, with its parameters, to standard error.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup schema" create' -l 'create' -d 'Create the SQLite database file when it does not exist.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup schema" v verbose' -s 'v' -l 'verbose' -d 'Say more about what happens.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup schema" version' -l 'version' -d 'Show the version.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup schema" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" json' -l 'json' -d 'Print one JSON document.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" f format' -s 'f' -l 'format' -d 'Output format: table, wrapped, expanded, csv, tsv, json, jsonl, markdown or sql.' -rfka 'table wrapped expanded csv tsv json jsonl markdown sql'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" expanded' -l 'expanded' -d 'Expanded display: on, off, or auto (expanded when the table would be wider than the terminal; the REPL\'s default).' -rfka 'on off auto'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" read-only' -l 'read-only' -d 'Refuse writes: SQLite opens the file read-only; every PostgreSQL transaction is READ ONLY.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" b bind' -s 'b' -l 'bind' -d 'Send every statement to this binding of the profile (writer, reader, ...).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" config' -l 'config' -d 'The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" echo' -l 'echo' -d 'Print every SQL statement sent, with its parameters, to standard error.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" null' -l 'null' -d 'Text shown for NULL in table, wrapped, expanded and markdown output (default: a dim empty-set sign on a colour terminal, else nothing).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" no-color' -l 'no-color' -d 'Never colour the output (NO_COLOR in the environment does the same).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" pager' -l 'pager' -d 'Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" no-pager' -l 'no-pager' -d 'Page output taller than the screen on a terminal ($SOUP_PAGER, $PAGER, else less -FRSX).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" timing' -l 'timing' -d 'Print how long each statement took to standard error.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" tx' -l 'tx' -d 'Transaction mode: file (one transaction for everything), statement (commit each statement) or none (as written).' -rfka 'file statement none'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" dry-run' -l 'dry-run' -d 'Run everything in one transaction, then roll back (refused for a script that manages transactions).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" create' -l 'create' -d 'Create the SQLite database file when it does not exist.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" v verbose' -s 'v' -l 'verbose' -d 'Say more about what happens.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" limit' -l 'limit' -d 'Show at most N rows of each result, and say so in the footer; the rest is not read (the REPL\'s default is 1,000; 0 shows all).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" safe-updates' -l 'safe-updates' -d 'Refuse an UPDATE or DELETE without WHERE, and update() or delete() of an unfiltered entity.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" version' -l 'version' -d 'Show the version.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup import" -eq 1' -fa '(set -l exts \'db\' \'sqlite\' \'sqlite3\' \'db3\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup import" -eq 2' -fka '(__soup_custom_completion ---completion import -- positional@1 (count (__soup_tokens -pc)) (__soup_tokens -tC))'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup import" -eq 3' -F
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" input-format' -l 'input-format' -d 'The input format: csv, tsv, json or jsonl (default: from the file\'s extension).' -rfka 'csv tsv json jsonl'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" delimiter' -l 'delimiter' -d 'The field delimiter of CSV or TSV, one character (default \',\' and tab).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" no-header' -l 'no-header' -d 'The first line is data; the columns are c1, c2, ... (or the table\'s, in order).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" null' -l 'null' -d 'An unquoted field with this text is NULL (default: an empty unquoted field).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" encoding' -l 'encoding' -d 'The file\'s encoding: utf8 or latin1.' -rfka 'utf8 latin1'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" create' -l 'create' -d 'Make the table when it does not exist, with types inferred from the input (and the SQLite file too).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import"' -l 'pk' -d 'With --create: the primary key column (repeat for a composite key).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" replace' -l 'replace' -d 'A row whose primary key exists replaces it; columns the file lacks get their defaults.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" upsert' -l 'upsert' -d 'A row whose primary key exists updates its columns from the file; the others are kept.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" truncate' -l 'truncate' -d 'Empty the table first, in the same transaction.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" dry-run' -l 'dry-run' -d 'Read and check every row, print the CREATE TABLE and the row count, change nothing.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" continue' -l 'continue' -d 'Skip bad rows (listed on standard error, exit 1) and import the rest.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" infer-rows' -l 'infer-rows' -d 'Infer column types from the first N rows instead of all of them.' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" read-only' -l 'read-only' -d 'Refuse to write: with --dry-run only, anything else is refused.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" b bind' -s 'b' -l 'bind' -d 'Send the import to this binding of the profile (default: the writer).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" config' -l 'config' -d 'The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" echo' -l 'echo' -d 'Print every SQL statement sent to standard error (the bulk insert once).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" v verbose' -s 'v' -l 'verbose' -d 'Say more about what happens.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" version' -l 'version' -d 'Show the version.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup copy" -eq 1' -fa '(set -l exts \'db\' \'sqlite\' \'sqlite3\' \'db3\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup copy" -eq 2' -fa '(set -l exts \'db\' \'sqlite\' \'sqlite3\' \'db3\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'soup' -n '__soup_should_offer_completions_for_positional "soup copy" -ge 3' -fka '(__soup_custom_completion ---completion copy -- positional@2 (count (__soup_tokens -pc)) (__soup_tokens -tC))'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup copy" where' -l 'where' -d 'Copy only the rows of each table for which this SQL condition holds on SRC.' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup copy" schema-only' -l 'schema-only' -d 'Create the tables, copy no rows.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup copy" data-only' -l 'data-only' -d 'Copy the rows into tables that already exist on DST (matched by column name).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup copy" dry-run' -l 'dry-run' -d 'Print the statements that would run on DST, change nothing.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup copy" create' -l 'create' -d 'Create the destination SQLite file when it does not exist.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup copy" config' -l 'config' -d 'The config file of profiles (default: ./soup.toml, else $XDG_CONFIG_HOME/soup/config.toml).' -rfka ''
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup copy" echo' -l 'echo' -d 'Print every SQL statement sent to standard error (the bulk insert once).'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup copy" v verbose' -s 'v' -l 'verbose' -d 'Say more about what happens.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup copy" version' -l 'version' -d 'Show the version.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup copy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'soup' -n '__soup_should_offer_completions_for_flags_or_options "soup help" version' -l 'version' -d 'Show the version.'
