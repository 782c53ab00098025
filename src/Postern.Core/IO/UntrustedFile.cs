using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Postern.Core.IO;

/// <summary>
/// Opens a file that another (less trusted) local user placed in a directory Postern owns, such as
/// the maildrop, without letting that user redirect the open: the name must be a regular file with
/// one link (not a symlink, FIFO, device or hard link to someone else's file), and the file opened
/// must be the very inode that was checked (a swap between check and open is refused). The open
/// never blocks (O_NONBLOCK: a FIFO swapped in cannot hang the caller). The owner's uid, read from
/// the opened file, is the kernel's word on who wrote it. Linux only (statx, glibc 2.28+).
/// </summary>
public static partial class UntrustedFile
{
    // Generic Linux values (x86-64, arm64, arm): O_RDONLY 0, O_NOCTTY 0400, O_NONBLOCK 04000, O_CLOEXEC 02000000.
    private const int OpenFlags = 0x100 | 0x800 | 0x80000;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;
    private const ushort TypeMask = 0xf000;
    private const ushort RegularFile = 0x8000;

    /// <summary>Why a file was not opened.</summary>
    public enum RefusalKind
    {
        /// <summary>statx or open failed (gone, permission denied...): the reason has errno's text.</summary>
        Unavailable,

        /// <summary>A symlink, FIFO, device, socket or directory: nothing a submitter writes.</summary>
        NotRegularFile,

        /// <summary>A hard link: possibly someone else's file.</summary>
        MultipleLinks,

        /// <summary>Over the size limit.</summary>
        TooLarge,

        /// <summary>Another inode was at the name by the time it was opened.</summary>
        Replaced,
    }

    /// <summary>Why a file was not opened, for code (<paramref name="Kind"/>) and for the log (<paramref name="Reason"/>).</summary>
    public readonly record struct Refusal(RefusalKind Kind, string Reason);

    /// <summary>What the kernel says of an opened file.</summary>
    public readonly record struct Status(uint OwnerId, UnixFileMode Mode, long Size, DateTimeOffset Modified);

    /// <summary>
    /// Opens <paramref name="path"/> for reading when it is a regular, singly linked file no larger
    /// than <paramref name="maxSize"/>; else null with the reason.
    /// </summary>
    public static FileStream? TryOpen(string path, long maxSize, out Status status, out Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(path);
        status = default;
        refusal = default;
        Span<byte> before = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, before) != 0)
        {
            refusal = Error("statx");
            return null;
        }
        if (Check(before, maxSize) is { } unfit)
        {
            refusal = unfit;
            return null;
        }
        var fd = Open(path, OpenFlags);
        if (fd < 0)
        {
            refusal = Error("open");
            return null;
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        Span<byte> after = stackalloc byte[StatxSize];
        if (Statx(fd, "", AtEmptyPath, StatxBasicStats, after) != 0)
        {
            refusal = Error("statx");
            handle.Dispose();
            return null;
        }
        if ((Check(after, maxSize) ?? SameInode(before, after)) is { } changed)
        {
            refusal = changed;
            handle.Dispose();
            return null;
        }
        status = new Status(
            BinaryPrimitives.ReadUInt32LittleEndian(after[20..]),
            (UnixFileMode)(BinaryPrimitives.ReadUInt16LittleEndian(after[28..]) & 0xfff),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(after[40..]),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64LittleEndian(after[112..])));
        return new FileStream(handle, FileAccess.Read, bufferSize: 64 * 1024);
    }

    // struct statx (linux/stat.h) has one layout on every architecture: nlink at 16, uid at 20,
    // mode at 28, ino at 32, size at 40, mtime at 112, dev major/minor at 136/140. Little-endian
    // hosts only, which is every platform .NET runs Postern on.
    private static Refusal? Check(ReadOnlySpan<byte> statx, long maxSize)
    {
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(statx[28..]);
        if ((mode & TypeMask) != RegularFile)
        {
            return new Refusal(RefusalKind.NotRegularFile, "not a regular file");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(statx[16..]) != 1)
        {
            return new Refusal(RefusalKind.MultipleLinks, "more than one link");
        }
        var size = (long)BinaryPrimitives.ReadUInt64LittleEndian(statx[40..]);
        return size > maxSize ? new Refusal(RefusalKind.TooLarge, $"larger than {maxSize} bytes") : null;
    }

    private static Refusal? SameInode(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after) =>
        before[32..40].SequenceEqual(after[32..40]) && before[136..144].SequenceEqual(after[136..144])
            ? null
            : new Refusal(RefusalKind.Replaced, "replaced while being opened");

    private static Refusal Error(string call) =>
        new(RefusalKind.Unavailable, $"{call}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, Span<byte> buffer);
}
