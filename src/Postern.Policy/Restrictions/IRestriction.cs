namespace Postern.Policy.Restrictions;

/// <summary>One named restriction (Postfix's word): looks at the context and says Permit, Reject or Dunno.</summary>
internal interface IRestriction
{
    /// <summary>The name used in the configuration and the log (<c>permit_relay_networks</c>).</summary>
    string Name { get; }

    /// <summary>Whether it means anything at <paramref name="stage"/> (a recipient check needs a recipient).</summary>
    bool AppliesTo(RestrictionStage stage);

    RestrictionResult Evaluate(RestrictionContext context);
}
