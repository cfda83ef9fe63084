# bash completion for copydesk
_copydesk() {
  local cur prev words cword
  _init_completion || return
  local commands="clean apply serve stages config"
  local common="--help --version --config --dictionaries --hunspell --names --only --skip --threads --quiet"
  local command="" w
  for w in "${words[@]:1:cword-1}"; do
    case $w in clean | apply | serve | stages | config) command=$w; break ;; esac
  done
  case $prev in
    --config | --names | --reject | --changes | --report | --errors | -o | --output)
      _filedir
      return ;;
    --dictionaries | --hunspell | --out-dir)
      _filedir -d
      return ;;
    --color)
      COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
      return ;;
    --on-error)
      COMPREPLY=($(compgen -W "fail skip pass" -- "$cur"))
      return ;;
    --only | --skip)
      COMPREPLY=($(compgen -W "unicode boilerplate dedupe structure sentences spacing names casing spelling" -- "$cur"))
      return ;;
    --port | --host | --threads | -j | --max-request-bytes | --text-field | --include | --exclude)
      return ;;
  esac
  if [[ -z $command ]]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  local options=$common
  case $command in
    clean | apply)
      options+=" --output --in-place --out-dir --include --exclude --diff --color --changes --check --lossy --jsonl"
      options+=" --text-field --changes-inline --on-error --errors --report --batch-evidence --reject" ;;
    serve) options+=" --port --host --max-request-bytes" ;;
    config) options+=" --default" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ $command == clean || $command == apply ]]; then
    _filedir
  fi
}
complete -F _copydesk copydesk
