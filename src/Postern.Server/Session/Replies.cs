using Postern.Core.Smtp;

namespace Postern.Server.Session;

/// <summary>The fixed replies of the server, in one place so dialog tests and docs agree.</summary>
internal static class Replies
{
    public static readonly SmtpReply Ok = new(250, "2.0.0", "Ok");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Ok");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Ok");
    public static readonly SmtpReply StartMailInput = SmtpReply.WithoutStatus(354, "End data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply CannotVerify = new(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Error: line too long");
    public static readonly SmtpReply Unrecognized = new(500, "5.5.2", "Error: command not recognized");
    public static readonly SmtpReply InvalidCharacters = new(500, "5.5.2", "Error: invalid characters in command");
    public static readonly SmtpReply NotImplemented = new(502, "5.5.1", "Error: command not implemented");
    public static readonly SmtpReply NeedHelo = new(503, "5.5.1", "Error: send HELO/EHLO first");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Error: nested MAIL command");
    public static readonly SmtpReply NeedMail = new(503, "5.5.1", "Error: need MAIL command");
    public static readonly SmtpReply NeedRecipients = new(503, "5.5.1", "Error: need RCPT command");
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "Error: no valid recipients");
    public static readonly SmtpReply DataAfterBdat = new(503, "5.5.1", "Error: DATA not allowed after BDAT");
    public static readonly SmtpReply HeloSyntax = new(501, "5.5.4", "Syntax: EHLO hostname");
    public static readonly SmtpReply NoArguments = new(501, "5.5.4", "Syntax error: no arguments allowed");
    public static readonly SmtpReply ParametersNeedEhlo = new(555, "5.5.4", "ESMTP parameters need EHLO");
    public static readonly SmtpReply BinaryMimeUnsupported = new(555, "5.5.4", "BODY=BINARYMIME is not supported");
    public static readonly SmtpReply MessageTooBig = new(552, "5.3.4", "Error: message file too big");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Error: too many recipients");
    public static readonly SmtpReply Utf8NeedsSmtpUtf8 = new(553, "5.6.7", "Address needs SMTPUTF8, which MAIL did not ask for");
    public static readonly SmtpReply BareLineEnding = new(550, "5.6.0", "Message contains bare CR or LF line endings (SMTP smuggling protection)");
    public static readonly SmtpReply QueueWriteFailed = new(452, "4.3.1", "Insufficient system storage, try again later");
    public static readonly SmtpReply TooManyErrors = new(421, "4.7.0", "Too many errors, closing connection");
    public static readonly SmtpReply Timeout = new(421, "4.4.2", "Timeout exceeded, closing connection");
    public static readonly SmtpReply ShuttingDown = new(421, "4.3.2", "Service shutting down, closing connection");
    public static readonly SmtpReply NonSmtpCommand = new(554, "5.5.1", "Error: non-SMTP command, closing connection");
    public static readonly SmtpReply ReadyToStartTls = new(220, "2.0.0", "Ready to start TLS");
    public static readonly SmtpReply AlreadyTls = new(503, "5.5.1", "Error: TLS already active");
    public static readonly SmtpReply TlsNotOffered = new(502, "5.5.1", "Error: STARTTLS not offered on this port");
    public static readonly SmtpReply TlsUnavailable = new(454, "4.7.0", "TLS not available due to temporary reason");
    public static readonly SmtpReply MustStartTls = new(530, "5.7.0", "Must issue a STARTTLS command first");
    public static readonly SmtpReply CertificateRequired = new(421, "4.7.1", "Client certificate not verified, closing connection");
    public static readonly SmtpReply EtrnNotOffered = new(502, "5.5.1", "Error: ETRN not offered on this port");
    public static readonly SmtpReply EtrnInTransaction = new(503, "5.5.1", "Error: ETRN not allowed during a mail transaction");
    public static readonly SmtpReply EtrnSyntax = new(501, "5.5.4", "Syntax: ETRN domain");
    public static readonly SmtpReply Help = new(214, "2.0.0", "Commands: HELO EHLO STARTTLS MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP; see RFC 5321");
}
