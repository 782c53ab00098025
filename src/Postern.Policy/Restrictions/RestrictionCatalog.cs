namespace Postern.Policy.Restrictions;

/// <summary>Every restriction by name, and the rules a configured list must follow.</summary>
public static class RestrictionCatalog
{
    private static readonly IReadOnlyDictionary<string, IRestriction> All = new IRestriction[]
    {
        new CheckClientAccess(),
        new CheckSenderAccess(),
        new CheckRecipientAccess(),
        new CheckTlsRequirements(),
        new PermitLocalDomains(),
        new PermitRelayDomains(),
        new PermitAuthDestination(),
        new PermitRelayNetworks(),
        new PermitSaslAuthenticated(),
        new PermitTlsClientCerts(),
        new RejectUnauthDestination(),
        FixedRestriction.Permit,
        FixedRestriction.Reject,
        FixedRestriction.Defer,
    }.ToDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>The names usable at <paramref name="stage"/>, sorted.</summary>
    public static IReadOnlyList<string> NamesFor(RestrictionStage stage) =>
        [.. All.Values.Where(r => r.AppliesTo(stage)).Select(r => r.Name).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The problems of one stage's list, empty when it is usable: unknown names, names that mean
    /// nothing at that stage, duplicates, and at RCPT anything that could make an open relay.
    /// </summary>
    public static IReadOnlyList<string> Validate(RestrictionStage stage, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!All.TryGetValue(name, out var restriction))
            {
                errors.Add(name == RoutingTricks.RestrictionName
                    ? $"'{name}' is always applied first at RCPT and cannot be listed"
                    : $"unknown restriction '{name}' (known here: {string.Join(", ", NamesFor(stage))})");
            }
            else if (!restriction.AppliesTo(stage))
            {
                errors.Add($"'{name}' cannot be used at the {StageWord(stage)} stage (it needs {(name == "check_sender_access" ? "a sender" : "a recipient")})");
            }
            else if (!seen.Add(name))
            {
                errors.Add($"lists '{name}' twice");
            }
        }
        if (stage == RestrictionStage.Rcpt && errors.Count == 0)
        {
            var guard = IndexOf(names, RejectUnauthDestination.RestrictionName);
            if (guard < 0 && (names.Count == 0 || names[^1] != "reject"))
            {
                errors.Add($"must contain '{RejectUnauthDestination.RestrictionName}' (or end with 'reject'): without it Postern would be an open relay");
            }
            var permit = IndexOf(names, "permit");
            if (permit >= 0 && (guard < 0 || permit < guard))
            {
                errors.Add($"'permit' before '{RejectUnauthDestination.RestrictionName}' would make Postern an open relay");
            }
        }
        return errors;
    }

    /// <summary>The restrictions for validated names.</summary>
    /// <exception cref="ArgumentException">A name is unknown or not usable at that stage.</exception>
    internal static IReadOnlyList<IRestriction> Resolve(RestrictionStage stage, IReadOnlyList<string> names)
    {
        var errors = Validate(stage, names);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"{StageWord(stage)} restrictions: {string.Join("; ", errors)}", nameof(names));
        }
        return [.. names.Select(n => All[n])];
    }

    /// <summary>The stage as the configuration key says it: connect, helo, sender, recipient, data.</summary>
    public static string StageWord(RestrictionStage stage) => stage switch
    {
        RestrictionStage.Mail => "sender",
        RestrictionStage.Rcpt => "recipient",
        _ => stage.ToString().ToLowerInvariant(),
    };

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        return -1;
    }
}
