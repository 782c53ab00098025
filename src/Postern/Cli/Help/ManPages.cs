using Postern.Config;
using Postern.Tools.Check;

namespace Postern.Cli.Help;

/// <summary>
/// EXAMPLES and EXIT STATUS for <c>postern --help</c> and each top-level command, by command name.
/// Kept beside the command tree (not in each command's file) so the codes of a whole family read
/// together; <c>HelpTests</c> checks that every top-level command has a page.
/// </summary>
internal static class ManPages
{
    private static readonly ManExitStatus Ok = new(ExitCodes.Ok, "success");
    private static readonly ManExitStatus Usage = new(ExitCodes.Usage, "usage error: a malformed argument (EX_USAGE)");
    private static readonly ManExitStatus Config = new(ExitCodes.Config, "the configuration does not load; every error is printed with key and line (EX_CONFIG)");

    private static readonly Dictionary<string, ManPage> Pages = new(StringComparer.Ordinal)
    {
        ["serve"] = new(
            [
                new("postern serve --config /etc/postern/postern.toml", "Run the server on that configuration until SIGTERM or SIGINT; SIGHUP reloads maps and certificates"),
                new("postern serve --data-dir /var/lib/postern", "Run on the embedded default configuration with this data directory"),
            ],
            [
                new(ExitCodes.Ok, "stopped by SIGTERM or SIGINT after a graceful shutdown"),
                new(ExitCodes.OsError, "a listener could not bind, or another postern runs on the data directory (EX_OSERR)"),
                new(ExitCodes.CannotCreate, "the data directory or its secret cannot be created (EX_CANTCREAT)"),
                Config,
            ]),
        ["config"] = new(
            [
                new("postern config check --config /etc/postern/postern.toml", "Validate the configuration and every file it names, then list the warnings"),
                new("postern config show > effective.toml", "Print the effective configuration with every default filled in"),
                new("postern config import-mc /etc/mail/sendmail.mc --access /etc/mail/access --out /etc/postern", "Translate a sendmail.mc and its access map into postern.toml"),
            ],
            [
                new(ExitCodes.Ok, "success (config check: no errors; warnings do not change the code)"),
                new(ExitCodes.DataError, "import-mc: the .mc or the access map cannot be translated (EX_DATAERR)"),
                new(ExitCodes.NoInput, "import-mc: an input file cannot be read (EX_NOINPUT)"),
                new(ExitCodes.CannotCreate, "import-mc: --out cannot be written (EX_CANTCREAT)"),
                Config,
            ]),
        ["queue"] = new(
            [
                new("postern queue list", "List the queue, mailq style"),
                new("postern queue show 0QbHc1Xk8f2aLmZq", "One message: envelope, recipient states with the last reply, headers"),
                new("postern queue hold 0QbHc1Xk8f2aLmZq", "Stop attempting a message until `postern queue release`"),
                new("postern queue flush example.net --wait", "Attempt the messages for example.net now and show progress until each was tried"),
            ],
            [
                Ok,
                new(ExitCodes.Usage, "usage error: the id is not a queue id, 16 letters and digits (EX_USAGE)"),
                new(ExitCodes.NoUser, "no message with that queue id in the queue (EX_NOUSER)"),
                new(ExitCodes.IoError, "the spool cannot be read or changed (EX_IOERR)"),
                new(ExitCodes.NoPermission, "this user may not read the spool: run as root or the data directory's owner (EX_NOPERM)"),
                new(ExitCodes.TempFail, "flush: no running daemon, or --wait timed out with messages left (EX_TEMPFAIL)"),
                Config,
            ]),
        ["tls-report"] = new(
            [
                new("postern tls-report show", "The TLS-RPT counts of each period not yet reported, per domain and policy, with the failures and report tries"),
                new("postern tls-report show --json", "The same as JSON"),
            ],
            [
                Ok,
                new(ExitCodes.IoError, "the counts cannot be read (EX_IOERR)"),
                new(ExitCodes.NoPermission, "this user may not read the data directory: run as root or its owner (EX_NOPERM)"),
                Config,
            ]),
        ["version"] = new(
            [
                new("postern version --features", "The version, the compiled-in features and the SASL mechanisms (sendmail -d0.1)"),
            ],
            [Ok]),
        ["cert"] = new(
            [
                new("postern cert ca init --name \"Joe's Certificate Authority\"", "Create the local CA"),
                new("postern cert issue server --host mail.example.org --san smtp.example.org", "A server certificate signed by the local CA"),
                new("postern cert issue client joe --email joe@example.org", "A client certificate for relaying by certificate"),
                new("postern cert export joe --p12 --name \"Joe User's Personal Certificate\"", "CA, certificate and key as PKCS#12 for a mail client"),
                new("postern cert show /etc/postern/tls/server.pem", "Subject, issuer, validity, usages, SANs and fingerprints"),
                new("postern cert access-entry joe.pem >> /etc/postern/access", "The access-map line that lets joe.pem's holder relay"),
                new("postern cert access-entry joe.pem --subject --apply", "Let joe.pem's subject relay: written into the access map file or pgsql: table"),
                new("postern cert list --warn-days 30", "Issued certificates with their expiry"),
                new("postern cert acme status", "The ACME certificates: expiry, next renewal and why, the last error"),
                new("postern cert acme renew --force", "Renew the ACME certificates now, through the running daemon"),
            ],
            [
                Ok,
                new(CertListExit, "list: a certificate has expired or expires within --warn-days"),
                Usage,
                new(ExitCodes.DataError, "a certificate or key cannot be parsed (EX_DATAERR)"),
                new(ExitCodes.NoInput, "no local CA yet (run `postern cert ca init`), no issued certificate by that name, or an input file cannot be read (EX_NOINPUT)"),
                new(ExitCodes.CannotCreate, "an output file cannot be written, or would be overwritten (EX_CANTCREAT)"),
                new(ExitCodes.IoError, "reading or writing failed half way (EX_IOERR)"),
                new(ExitCodes.OsError, "acme renew without a daemon: the challenge responder's address cannot be bound (EX_OSERR)"),
                new(ExitCodes.TempFail, "acme renew, acme register: the ACME server refused or did not answer, or the daemon did not finish within --wait; the current certificate stays (EX_TEMPFAIL)"),
                new(ExitCodes.NoPermission, "acme renew, acme register: DATA_DIR/acme is not writable by this user (EX_NOPERM)"),
                Config,
            ]),
        ["access"] = new(
            [
                new("postern access check --client 192.0.2.7 --from joe@example.org --rcpt friend@example.net", "Would this client relay? Each stage's decision and the rule that made it"),
                new("postern access check --client 192.0.2.7 --cert joe.pem --from joe@example.org --rcpt friend@example.net", "The same for a client presenting a certificate"),
                new("postern access add Connect:192.0.2.7 REJECT", "Refuse a client, in the access map file or pgsql: table the configuration names"),
                new("postern access remove Connect:192.0.2.7", "Take the entry out again"),
            ],
            [
                new(ExitCodes.Ok, "everything accepted; add, remove: done"),
                new(1, "something refused"),
                Usage,
                new(ExitCodes.DataError, "--cert is not a readable certificate; add, remove: the key or value does not parse, or the map file has a bad line (EX_DATAERR)"),
                new(ExitCodes.NoInput, "remove: the map has no such key (EX_NOINPUT)"),
                new(ExitCodes.CannotCreate, "add, remove: the map file cannot be written (EX_CANTCREAT)"),
                new(ExitCodes.TempFail, "add, remove: the database cannot be reached or refused the change, or the file is locked by another change (EX_TEMPFAIL)"),
                new(ExitCodes.Config, "the configuration is invalid, or sets no policy.access_map (EX_CONFIG)"),
            ]),
        ["db"] = new(
            [
                new("postern db init", "Create the schema and the tables the configuration's pgsql: keys name"),
                new("postern db migrate", "Upgrade the schema after installing a newer Postern"),
                new("postern db status", "The schema's version and each table's rows"),
            ],
            [
                new(ExitCodes.Ok, "done; status: the schema is current and every configured table exists"),
                Usage,
                new(ExitCodes.DataError, "status: no schema, an older one, or a configured table missing (EX_DATAERR)"),
                new(ExitCodes.TempFail, "the database cannot be reached or refused; migrate: the database was never initialised, or its schema is newer than this Postern (EX_TEMPFAIL)"),
                new(ExitCodes.Config, "the configuration is invalid or has no [database] section (EX_CONFIG)"),
            ]),
        ["user"] = new(
            [
                new("postern user add joe", "Add joe; the password is read from the terminal (or one line of stdin)"),
                new("postern user passwd joe", "Change joe's password"),
                new("postern user bind-cert joe joe.pem", "Let joe.pem's holder authenticate as joe with AUTH EXTERNAL"),
                new("postern user list", "The users and their credential kinds"),
                new("postern user add joe --config /etc/postern/postern.toml", "With auth.users_file = \"pgsql:users\": joe is in the users table, and every node sees him at once"),
            ],
            [
                Ok,
                new(ExitCodes.Usage, "an invalid user name (EX_USAGE)"),
                new(ExitCodes.DataError, "the user exists already (add), no usable password, an unreadable certificate or users file (EX_DATAERR)"),
                new(ExitCodes.NoUser, "no such user, or no such certificate bound (EX_NOUSER)"),
                new(ExitCodes.CannotCreate, "the users file cannot be written (EX_CANTCREAT)"),
                new(ExitCodes.TempFail, "the users file is locked by another change, or the users table cannot be reached (EX_TEMPFAIL)"),
                Config,
            ]),
        ["dkim"] = new(
            [
                new("postern dkim keygen --domain example.com --selector s2026 --out /etc/postern/dkim/example.com.s2026.key", "A 2048-bit RSA key (mode 0600) and, on standard output, the TXT record to publish"),
                new("postern dkim keygen --domain example.com --selector e2026 --algorithm ed25519 --out /etc/postern/dkim/example.com.e2026.key", "An Ed25519 key to sign with beside the RSA one (RFC 8463)"),
                new("postern dkim show /etc/postern/dkim/example.com.s2026.key --domain example.com --selector s2026", "The TXT record of an existing key again"),
            ],
            [
                Ok,
                Usage,
                new(ExitCodes.DataError, "show: the file holds no usable private key (EX_DATAERR)"),
                new(ExitCodes.NoInput, "show: the key file cannot be read (EX_NOINPUT)"),
                new(ExitCodes.CannotCreate, "keygen: --out exists (never overwritten) or cannot be written (EX_CANTCREAT)"),
            ]),
        ["check"] = new(
            [
                new("postern check mail.example.org:25", "Greeting, EHLO, STARTTLS, chain, weak TLS versions, AUTH offered"),
                new("postern check mail.example.org:465 --ca ca.pem --cert joe.pem --key joe.key", "Over SMTPS, verifying against our CA and presenting a client certificate"),
                new("postern check mail.example.org:587 --auth joe --from joe@example.org --rcpt friend@example.net", "Try AUTH and a relay attempt (RSET before DATA: nothing is sent)"),
                new("postern check --domain example.org --config /etc/postern/postern.toml", "How mail to example.org would leave: MX hosts, DNSSEC, TLSA and certificates, MTA-STS, TLS-RPT"),
            ],
            [
                new(ExitCodes.Ok, "no problem found"),
                new(CheckExitCodes.ProblemsFound, "problems found (listed in the report)"),
                Usage,
                new(ExitCodes.NoInput, "--cert, --key, --ca or delivery.https_ca_file cannot be read (EX_NOINPUT)"),
                new(CheckExitCodes.Unavailable, "the server cannot be reached, or --domain's MX lookup failed for now (EX_UNAVAILABLE)"),
                new(ExitCodes.Config, "--domain: the configuration is invalid (EX_CONFIG)"),
            ]),
        ["completion"] = new(
            [
                new("postern completion bash | sudo tee /etc/bash_completion.d/postern", "Install bash completion for every user"),
                new("postern completion zsh > \"${fpath[1]}/_postern\"", "Install zsh completion"),
                new("postern completion fish > ~/.config/fish/completions/postern.fish", "Install fish completion"),
            ],
            [Ok, Usage]),
    };

    private static readonly ManPage Root = new(
        [
            new("postern serve --config /etc/postern/postern.toml", "Run the mail server"),
            new("postern config check", "Validate the configuration"),
            new("postern queue list", "The mail queue (mailq)"),
            new("postern cert issue server --host mail.example.org", "A server certificate from the local CA"),
            new("postern check mail.example.org:25", "Check any SMTP server"),
            new("postern queue --help", "Each command's options, examples and exit codes"),
        ],
        [
            new(ExitCodes.Ok, "success"),
            new(1, "a check found something (access check: refused, check: problems, cert list: expiring)"),
            new(ExitCodes.Usage, "usage error (EX_USAGE): the command line does not parse (unknown option, missing argument); 65-78 follow sysexits.h, see each command's --help"),
        ]);

    private const int CertListExit = Cert.ListCommand.ExpiringExitCode;

    /// <summary>The page of a top-level command; <c>null</c> name: the root's. Null when none is written.</summary>
    public static ManPage? For(string? topLevelCommand) =>
        topLevelCommand is null ? Root : Pages.GetValueOrDefault(topLevelCommand);
}
