using Postern.Core.Smtp;

namespace Postern.Server.Auth;

/// <summary>The fixed replies of SMTP AUTH (RFC 4954 sections 4 and 6).</summary>
internal static class AuthReplies
{
    public static readonly SmtpReply Succeeded = new(235, "2.7.0", "Authentication successful");
    public static readonly SmtpReply NotOffered = new(502, "5.5.1", "Error: authentication not enabled");
    public static readonly SmtpReply NeedEhlo = new(503, "5.5.1", "Error: send EHLO first");
    public static readonly SmtpReply AlreadyAuthenticated = new(503, "5.5.1", "Already authenticated");
    public static readonly SmtpReply InTransaction = new(503, "5.5.1", "Error: AUTH not allowed during a mail transaction");
    public static readonly SmtpReply Syntax = new(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    public static readonly SmtpReply UnknownMechanism = new(504, "5.5.4", "Unrecognized authentication type");
    public static readonly SmtpReply EncryptionRequired = new(538, "5.7.11", "Encryption required for requested authentication mechanism");
    public static readonly SmtpReply Cancelled = new(501, "5.0.0", "Authentication cancelled");
    public static readonly SmtpReply Malformed = new(501, "5.5.2", "Cannot decode response");
    public static readonly SmtpReply LineTooLong = new(500, "5.5.6", "Authentication exchange line is too long");
    public static readonly SmtpReply InvalidCredentials = new(535, "5.7.8", "Authentication credentials invalid");
    public static readonly SmtpReply TemporaryFailure = new(454, "4.7.0", "Temporary authentication failure");
    public static readonly SmtpReply TooManyFailures = new(421, "4.7.0", "Too many authentication failures, closing connection");
    public static readonly SmtpReply Required = new(530, "5.7.0", "Authentication required");

    public static SmtpReply SenderNotOwned(string sender, string user) =>
        new(553, "5.7.1", sender + ": Sender address rejected: not owned by user " + user);
}
