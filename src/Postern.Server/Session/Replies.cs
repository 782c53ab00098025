using System.Globalization;
using Postern.Core.Smtp;

namespace Postern.Server.Session;

/// <summary>
/// Every reply the session writes itself, each text once, so dialog tests and docs agree. Policy
/// refusals come from the stage handlers (Postern.Policy has its own catalogue); parameter syntax
/// errors from Postern.Protocol's.
/// </summary>
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
    public static readonly SmtpReply RequireTlsNeedsTls = new(530, "5.7.10", "REQUIRETLS needs a TLS session");
    public static readonly SmtpReply MessageTooBig = new(552, "5.3.4", "Error: message file too big");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Error: too many recipients");
    public static readonly SmtpReply Utf8NeedsSmtpUtf8 = new(553, "5.6.7", "Address needs SMTPUTF8, which MAIL did not ask for");
    public static readonly SmtpReply BareLineEnding = new(550, "5.6.0", "Message contains bare CR or LF line endings (SMTP smuggling protection)");
    public static readonly SmtpReply QueueWriteFailed = new(452, "4.3.1", "Insufficient system storage, try again later");
    public static readonly SmtpReply TooManyConnections = new(421, "4.7.0", "Too many connections, try again later");
    public static readonly SmtpReply TooManyErrors = new(421, "4.7.0", "Too many errors, closing connection");
    public static readonly SmtpReply Timeout = new(421, "4.4.2", "Timeout exceeded, closing connection");
    public static readonly SmtpReply ShuttingDown = new(421, "4.3.2", "Service shutting down, closing connection");
    public static readonly SmtpReply NonSmtpCommand = new(554, "5.5.1", "Error: non-SMTP command, closing connection");
    public static readonly SmtpReply ReadyToStartTls = new(220, "2.0.0", "Ready to start TLS");
    public static readonly SmtpReply AlreadyTls = new(503, "5.5.1", "Error: TLS already active");
    public static readonly SmtpReply TlsNotOffered = new(502, "5.5.1", "Error: STARTTLS not offered on this port");
    public static readonly SmtpReply TlsUnavailable = new(454, "4.7.0", "TLS not available due to temporary reason");
    public static readonly SmtpReply CertificateRequired = new(421, "4.7.1", "Client certificate not verified, closing connection");
    public static readonly SmtpReply EtrnNotOffered = new(502, "5.5.1", "Error: ETRN not offered on this port");
    public static readonly SmtpReply EtrnInTransaction = new(503, "5.5.1", "Error: ETRN not allowed during a mail transaction");
    public static readonly SmtpReply EtrnSyntax = new(501, "5.5.4", "Syntax: ETRN domain");
    public static readonly SmtpReply Help = new(214, "2.0.0", "Commands: HELO EHLO STARTTLS MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP; see RFC 5321");
    public static readonly SmtpReply VrfySyntax = new(501, "5.5.4", "Syntax: VRFY address");

    // SMTP AUTH (RFC 4954 sections 4 and 6).
    public static readonly SmtpReply AuthSucceeded = new(235, "2.7.0", "Authentication successful");
    public static readonly SmtpReply AuthNotOffered = new(502, "5.5.1", "Error: authentication not enabled");
    public static readonly SmtpReply AuthNeedsEhlo = new(503, "5.5.1", "Error: send EHLO first");
    public static readonly SmtpReply AlreadyAuthenticated = new(503, "5.5.1", "Already authenticated");
    public static readonly SmtpReply AuthInTransaction = new(503, "5.5.1", "Error: AUTH not allowed during a mail transaction");
    public static readonly SmtpReply AuthSyntax = new(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    public static readonly SmtpReply UnknownMechanism = new(504, "5.5.4", "Unrecognized authentication type");
    public static readonly SmtpReply EncryptionRequired = new(538, "5.7.11", "Encryption required for requested authentication mechanism");
    public static readonly SmtpReply AuthCancelled = new(501, "5.0.0", "Authentication cancelled");
    public static readonly SmtpReply AuthMalformed = new(501, "5.5.2", "Cannot decode response");
    public static readonly SmtpReply AuthLineTooLong = new(500, "5.5.6", "Authentication exchange line is too long");
    public static readonly SmtpReply InvalidCredentials = new(535, "5.7.8", "Authentication credentials invalid");
    public static readonly SmtpReply AuthTemporaryFailure = new(454, "4.7.0", "Temporary authentication failure");
    public static readonly SmtpReply TooManyAuthFailures = new(421, "4.7.0", "Too many authentication failures, closing connection");

    /// <summary>
    /// The server's own temporary conditions (storage, TLS, the AUTH back end): the client did
    /// nothing wrong and cannot cause them at will, so they never count toward <c>max_errors</c>.
    /// </summary>
    public static bool IsServerCondition(SmtpReply reply) =>
        ReferenceEquals(reply, QueueWriteFailed) || ReferenceEquals(reply, TlsUnavailable) || ReferenceEquals(reply, AuthTemporaryFailure);

    // Per-client connection limits of the access map, in sendmail's words (FEATURE(ratecontrol),
    // FEATURE(conncontrol), FEATURE(greet_pause)).
    public static readonly SmtpReply ConnectionRateExceeded = new(421, "4.3.2", "Connection rate limit exceeded.");
    public static readonly SmtpReply TooManyOpenConnections = new(421, "4.3.2", "Too many open connections.");

    /// <summary>The client's connection limits are in a table that cannot be read now: no session on a guess.</summary>
    public static readonly SmtpReply LimitLookupFailed = new(421, "4.3.0", "Temporary lookup failure");

    public static SmtpReply EarlyTalker(string hostName) => new(554, "5.5.0", hostName + " ESMTP not accepting messages");

    public static SmtpReply Greeting(string hostName) => SmtpReply.WithoutStatus(220, hostName + " ESMTP Postern");

    public static SmtpReply Closing(string hostName) => new(221, "2.0.0", hostName + " closing connection");

    public static SmtpReply Queued(string queueId) => new(250, "2.0.0", "Ok: queued as " + queueId);

    public static SmtpReply ChunkReceived(long size) => new(250, "2.0.0", size.ToString(CultureInfo.InvariantCulture) + " octets received");

    /// <summary>A 334 challenge of a SASL exchange, already base64.</summary>
    public static SmtpReply SaslChallenge(string encoded) => SmtpReply.WithoutStatus(334, encoded);

    /// <summary>RFC 1985 section 5's "unable to queue": named queues do not exist here.</summary>
    public static SmtpReply EtrnNamedQueue(string argument) =>
        new(458, "4.5.4", "Unable to queue messages for " + argument + ": named queues are not supported");

    public static SmtpReply EtrnStarted(string domain) => new(250, "2.0.0", "Queuing for node " + domain + " started");

    public static SmtpReply EtrnNothingWaiting(string domain) => new(251, "2.0.0", "No messages waiting for node " + domain);
}
