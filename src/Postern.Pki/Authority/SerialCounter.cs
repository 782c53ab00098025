using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace Postern.Pki.Authority;

/// <summary>
/// The CA's <c>serial</c> file: the next serial in hex, as openssl's CA keeps it. It starts at a
/// random 64-bit value (serials should not be guessable) and counts up, so serials never repeat.
/// </summary>
internal static class SerialCounter
{
    public static string Initial()
    {
        var bytes = RandomNumberGenerator.GetBytes(8);
        bytes[0] = (byte)((bytes[0] & 0x3F) | 0x10); // positive and without a leading zero octet
        return Convert.ToHexString(bytes);
    }

    /// <summary>Returns the serial to use now (big-endian bytes) and stores the next one.</summary>
    public static byte[] Take(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaException(CaErrorKind.Io, $"{path}: cannot read the serial file: {e.Message}", e);
        }
        if (text.Length == 0 || !BigInteger.TryParse("0" + text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var serial) || serial <= 0)
        {
            throw new CaException(CaErrorKind.BadData, $"{path}: not a hex serial number: '{text}'");
        }
        var bytes = serial.ToByteArray(isUnsigned: true, isBigEndian: true);
        SecureFile.Write(path, Convert.ToHexString((serial + 1).ToByteArray(isUnsigned: true, isBigEndian: true)) + "\n", SecureFile.PublicMode);
        return bytes;
    }
}
