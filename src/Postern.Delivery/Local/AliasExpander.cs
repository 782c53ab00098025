using Postern.Delivery.Aliases;

namespace Postern.Delivery.Local;

/// <summary>
/// Expands one local name through the aliases, recursively, the way sendmail does: aliases win
/// over users; <c>\user</c> is the user's own mailbox; a name that refers back to an alias being
/// expanded is that user's mailbox when it is a user (<c>bob: bob, bob@elsewhere</c>) and a loop
/// otherwise; <c>user+detail</c> falls back to <c>user</c>; nesting is capped. One instance per expansion.
/// </summary>
internal sealed class AliasExpander(LocalRecipientDirectory directory)
{
    private readonly List<DeliveryTarget> _targets = [];
    private readonly HashSet<DeliveryTarget> _seen = [];
    private readonly HashSet<string> _path = new(StringComparer.Ordinal);
    private bool _loop;
    private bool _aliased;
    private string? _temporaryProblem;
    private string? _permanentProblem;

    private bool Stopped => _temporaryProblem is not null || _permanentProblem is not null;

    public AliasExpansion Run(string localName)
    {
        ExpandName(localName, noAlias: false, depth: 0);
        if (_temporaryProblem is not null)
        {
            return new AliasExpansion(ExpansionStatus.TemporaryFailure, [], _temporaryProblem, _aliased);
        }
        if (_permanentProblem is not null)
        {
            return new AliasExpansion(ExpansionStatus.Failed, [], _permanentProblem, _aliased);
        }
        if (_targets.Count == 0)
        {
            return new AliasExpansion(ExpansionStatus.Failed, [], _loop ? "Alias loop" : "Alias expands to no recipients", _aliased);
        }
        return new AliasExpansion(ExpansionStatus.Ok, _targets, null, _aliased);
    }

    private void ExpandName(string name, bool noAlias, int depth)
    {
        if (Stopped)
        {
            return;
        }
        if (depth > LocalRecipientDirectory.MaxAliasDepth)
        {
            _permanentProblem = $"Alias nesting deeper than {LocalRecipientDirectory.MaxAliasDepth} levels";
            return;
        }
        if (noAlias)
        {
            AddMailbox(name);
            return;
        }
        if (_path.Contains(name))
        {
            // A reference back to an alias being expanded: the user's own mailbox, else a loop.
            if (directory.IsUser(name))
            {
                AddMailbox(name);
            }
            else
            {
                _loop = true;
            }
            return;
        }
        if (directory.Aliases is { } aliases && aliases.TryGet(name, out var entry))
        {
            _aliased = true;
            ExpandValues(name, entry.Values, depth);
            return;
        }
        if (directory.IsUser(name))
        {
            AddMailbox(name);
            return;
        }
        if (name == LocalRecipientDirectory.Postmaster)
        {
            var postmasterUser = directory.PostmasterUser;
            if (postmasterUser == name)
            {
                AddMailbox(name);
                return;
            }
            _aliased = true;
            _path.Add(name);
            ExpandName(postmasterUser, noAlias: false, depth + 1);
            _path.Remove(name);
            return;
        }
        if (LocalRecipientDirectory.StripDetail(name) is { } baseName)
        {
            ExpandName(baseName, noAlias: false, depth);
            return;
        }
        // Neither alias nor user (an alias value naming a missing user): delivery says 5.1.1.
        AddMailbox(name);
    }

    private void ExpandValues(string pathKey, IReadOnlyList<AliasValue> values, int depth)
    {
        _path.Add(pathKey);
        foreach (var value in values)
        {
            ExpandValue(value, depth + 1);
        }
        _path.Remove(pathKey);
    }

    private void ExpandValue(AliasValue value, int depth)
    {
        if (Stopped)
        {
            return;
        }
        switch (value.Kind)
        {
            case AliasValueKind.Local:
                ExpandName(value.Text, value.NoAlias, depth);
                break;
            case AliasValueKind.Address:
                var at = value.Text.LastIndexOf('@');
                if (directory.IsLocalDomain(value.Text[(at + 1)..]))
                {
                    ExpandName(value.Text[..at].ToLowerInvariant(), noAlias: false, depth);
                }
                else
                {
                    Add(new DeliveryTarget(DeliveryTargetKind.Forward, value.Text));
                }
                break;
            case AliasValueKind.Include:
                ExpandInclude(value.Text, depth);
                break;
            case AliasValueKind.Pipe:
                Add(new DeliveryTarget(DeliveryTargetKind.Pipe, value.Text));
                break;
            case AliasValueKind.File:
                Add(new DeliveryTarget(DeliveryTargetKind.File, value.Text));
                break;
        }
    }

    private void ExpandInclude(string path, int depth)
    {
        var pathKey = ":include:" + path;
        if (_path.Contains(pathKey))
        {
            _loop = true;
            return;
        }
        if (depth > LocalRecipientDirectory.MaxAliasDepth)
        {
            _permanentProblem = $"Alias nesting deeper than {LocalRecipientDirectory.MaxAliasDepth} levels";
            return;
        }
        _aliased = true;
        List<AliasValue> values;
        try
        {
            values = AliasesFile.LoadInclude(path, directory.AllowPipes, directory.AllowFiles);
        }
        catch (AliasesParseException ex)
        {
            _temporaryProblem = "Error in include file: " + (ex.Errors.Count > 0 ? ex.Errors[0].ToString() : ex.Message);
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _temporaryProblem = $"Cannot read include file {path}";
            return;
        }
        ExpandValues(pathKey, values, depth);
    }

    private void AddMailbox(string name)
    {
        if (!directory.IsUser(name) && LocalRecipientDirectory.StripDetail(name) is { } baseName && directory.IsUser(baseName))
        {
            name = baseName;
        }
        Add(new DeliveryTarget(DeliveryTargetKind.Mailbox, name));
    }

    private void Add(DeliveryTarget target)
    {
        if (_seen.Add(target))
        {
            _targets.Add(target);
        }
    }
}
