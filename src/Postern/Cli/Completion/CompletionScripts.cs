namespace Postern.Cli.Completion;

/// <summary>
/// Shell completion scripts for <c>postern completion SHELL</c>. They hold no command names: each
/// asks the binary through System.CommandLine's <c>[suggest:N]</c> directive, so completion follows
/// the real command tree (subcommands, options, accepted values) of the installed version. The
/// scripts drop the program name and pass only the arguments up to the cursor, with N their
/// length, so the answer does not depend on the name the binary was installed or invoked under.
/// </summary>
internal static class CompletionScripts
{
    public static readonly IReadOnlyList<string> Shells = ["bash", "zsh", "fish"];

    /// <summary>The script for <paramref name="shell"/>; null for a shell not in <see cref="Shells"/>.</summary>
    public static string? For(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "fish" => Fish,
        _ => null,
    };

    private const string Bash = """
        # bash completion for postern. Install: postern completion bash > /etc/bash_completion.d/postern
        _postern_complete()
        {
            local line="${COMP_LINE:0:COMP_POINT}"
            # Only the arguments: drop the program name (and the blanks after it).
            case "$line" in
                *[[:space:]]*) line="${line#*[[:space:]]}"; line="${line#"${line%%[![:space:]]*}"}" ;;
                *) return 0 ;;
            esac
            mapfile -t COMPREPLY < <(postern "[suggest:${#line}]" "$line" 2>/dev/null)
        }
        complete -o default -o nosort -F _postern_complete postern

        """;

    private const string Zsh = """
        #compdef postern
        # zsh completion for postern. Install: postern completion zsh > "${fpath[1]}/_postern"
        _postern() {
            local line="${(j: :)words[2,CURRENT]}"
            local -a candidates
            candidates=("${(@f)$(postern "[suggest:${#line}]" "$line" 2>/dev/null)}")
            if (( ${#candidates} )) && [[ -n "${candidates[1]}" ]]; then
                compadd -- "${candidates[@]}"
            else
                _files
            fi
        }
        compdef _postern postern

        """;

    private const string Fish = """
        # fish completion for postern. Install: postern completion fish > ~/.config/fish/completions/postern.fish
        function __postern_complete
            set -l words (commandline -opc) (commandline -ct)
            set -l line (string join ' ' -- $words[2..-1])
            postern "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        complete -c postern -f -a '(__postern_complete)'

        """;
}
