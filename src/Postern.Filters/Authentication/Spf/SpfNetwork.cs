using System.Net;

namespace Postern.Filters.Authentication.Spf;

/// <summary>The network of an address cut to a prefix length (<see cref="IPNetwork"/> refuses host bits).</summary>
internal static class SpfNetwork
{
    public static IPNetwork Of(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return new IPNetwork(new IPAddress(bytes), length);
    }
}
