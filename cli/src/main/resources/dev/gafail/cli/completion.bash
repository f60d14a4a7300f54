# gafail completion for bash. Load it in this shell:  source <(gafail generate-completion bash)
# or for every shell:  gafail generate-completion bash > ~/.local/share/bash-completion/completions/gafail
# Each TAB asks gafail itself (gafail __complete), so region names come from the topology in use.
_gafail() {
  local line="${COMP_LINE:0:COMP_POINT}" cur c files=0
  local -a words candidates=()
  read -ra words <<<"$line"
  [[ "$line" =~ [[:space:]]$ ]] && words+=("")
  cur="${words[${#words[@]}-1]}"
  local IFS=$'\n'
  for c in $("${words[0]}" __complete -- "${words[@]:1}" 2>/dev/null); do
    if [[ "$c" == "::files" ]]; then files=1; else candidates+=("$c"); fi
  done
  COMPREPLY=($(compgen -W "${candidates[*]}" -- "$cur"))
  if ((files)); then COMPREPLY+=($(compgen -f -- "$cur")); fi
  # bash completes the part of a word after its last ':' (bundled:failover.yaml)
  if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
    local prefix="${cur%"${cur##*:}"}"
    COMPREPLY=("${COMPREPLY[@]#"$prefix"}")
  fi
}
complete -o filenames -F _gafail gafail ./gafail
