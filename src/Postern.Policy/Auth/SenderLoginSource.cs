using Postern.Core.Addressing;
using Postern.Core.Maps;

namespace Postern.Policy.Auth;

/// <summary>
/// Where the sender login map comes from: the file held in memory, or a table from which the two
/// rows that can own a sender (the address, its <c>@domain</c>) are fetched before the check.
/// </summary>
public abstract class SenderLoginSource
{
    /// <exception cref="LookupTableUnavailableException">The table cannot answer now.</exception>
    public abstract ValueTask<SenderLoginMap> ViewAsync(Mailbox sender, CancellationToken cancellationToken);

    public static SenderLoginSource File(Func<SenderLoginMap> current) => new FileSource(current);

    public static SenderLoginSource Table(ILookupTable table) => new TableSource(table);

    private sealed class FileSource(Func<SenderLoginMap> current) : SenderLoginSource
    {
        public override ValueTask<SenderLoginMap> ViewAsync(Mailbox sender, CancellationToken cancellationToken) => ValueTask.FromResult(current());
    }

    private sealed class TableSource(ILookupTable table) : SenderLoginSource
    {
        public override async ValueTask<SenderLoginMap> ViewAsync(Mailbox sender, CancellationToken cancellationToken)
        {
            var rows = await table.FindAsync(SenderLoginMap.TableKeys(sender), cancellationToken);
            return rows.Count == 0 ? SenderLoginMap.Empty : SenderLoginMap.FromRows(rows, table.Name);
        }
    }
}
