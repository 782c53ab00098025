namespace Postern.Policy.Restrictions;

/// <summary>The SMTP stages that have a restriction list, in session order.</summary>
public enum RestrictionStage
{
    Connect,
    Helo,
    Mail,
    Rcpt,
    Data,
}
