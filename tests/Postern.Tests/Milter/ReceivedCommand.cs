namespace Postern.Tests.Milter;

/// <summary>One command the fake milter received: its letter and data.</summary>
internal sealed record ReceivedCommand(char Code, byte[] Data)
{
    public List<string> Strings => MilterWire.Strings(Data);
}
