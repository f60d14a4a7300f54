#compdef gafail
# gafail completion for zsh. Load it in this shell (after compinit):  source <(gafail generate-completion zsh)
# or for every shell: gafail generate-completion zsh > "${fpath[1]}/_gafail"
# Each TAB asks gafail itself (gafail __complete), so region names come from the topology in use.
_gafail() {
  local -a candidates
  local c files=0
  for c in "${(@f)$(${words[1]} __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}"; do
    if [[ "$c" == '::files' ]]; then files=1; elif [[ -n "$c" ]]; then candidates+=("$c"); fi
  done
  compadd -a candidates
  if ((files)); then _files; fi
}
if [[ "$funcstack[1]" == _gafail ]]; then _gafail "$@"; else compdef _gafail gafail ./gafail; fi
