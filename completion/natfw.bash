# bash completion for natfw-trace, natfw-index and natfw-generate: options
# (read from each program's --help, so they never go stale), the values of
# --proto, --format and --audit, file names where a file is asked for, and
# --node names read from the index (natfw-trace --list-nodes, with the --db
# typed so far).

# The --db given on the command line so far, if any.
_natfw_db_given()
{
    local i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        --db) echo "${words[i + 1]}" ;;
        --db=*) echo "${words[i]#--db=}" ;;
        esac
    done
}

# Long and short options as CLI11 lists them: "  -o,--output TEXT  ...".
_natfw_options()
{
    "$1" --help 2>/dev/null | awk '/^  -/ { n = split($1, o, ","); for (i = 1; i <= n; i++) print o[i] }'
}

_natfw()
{
    local cur prev words cword
    _init_completion || return
    local prog=${words[0]##*/}
    case $prev in
    --proto)
        mapfile -t COMPREPLY < <(compgen -W "tcp udp" -- "$cur")
        return ;;
    --format)
        if [[ $prog == natfw-generate ]]; then
            mapfile -t COMPREPLY < <(compgen -W "iptables nft" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "text json csv" -- "$cur")
        fi
        return ;;
    --node)
        if [[ $prog == natfw-trace ]]; then
            local db
            db=$(_natfw_db_given)
            mapfile -t COMPREPLY < <(compgen -W "$(natfw-trace ${db:+--db "$db"} --list-nodes 2>/dev/null)" -- "$cur")
        fi
        return ;;
    --audit)
        mapfile -t COMPREPLY < <(compgen -W "syslog off" -- "$cur")
        _filedir
        return ;;
    --db | --batch | --xarf | -o | --output | --config | --connection-log | --session-spool | --portal-db | -w | --write)
        _filedir
        return ;;
    --tz | --skew | --flow-age | --stale-after | --from | --until | --internal | --user | --time-col | --ip-col | \
        --port-col | --proto-col | --delimiter | --threads | --public-ip | --network | --time | --reload | --list | \
        --ephemeral-range | --lock-timeout | --masquerade-address | --masquerade-from | --log-year | \
        --keep-sessions | --forget-sessions-before)
        return ;; # a value only the user knows
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_natfw_options "${words[0]}")" -- "$cur")
        return
    fi
    # natfw-index's positionals are snapshot directories.
    [[ $prog == natfw-index ]] && _filedir -d
}

complete -F _natfw natfw-trace natfw-index natfw-generate
