using Postern.Delivery.MtaSts;

namespace Postern.Tests.Delivery.MtaSts;

public sealed class MtaStsRecordTests
{
    [Theory]
    [InlineData("v=STSv1; id=20160831085700Z;", "20160831085700Z")]
    [InlineData("v=STSv1; id=20160831085700Z", "20160831085700Z")]
    [InlineData("v=STSv1;id=abc123", "abc123")]
    [InlineData("v=STSv1 ;\tid=abc ; ext.name-1=some!value; ", "abc")]
    [InlineData("v=STSv1; future=1; id=ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")]
    public void Valid_records_give_their_id(string text, string id)
    {
        var record = MtaStsRecord.Select([text], out var problem);

        Assert.True(record is not null, problem);
        Assert.Equal(id, record.Id);
    }

    [Theory]
    [InlineData("v=STSv1;", "no id")]
    [InlineData("v=STSv1; id=", "malformed field")]
    [InlineData("v=STSv1; id=2016-08-31", "1 to 32 letters and digits")]
    [InlineData("v=STSv1; id=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "1 to 32 letters and digits")]
    [InlineData("v=STSv1; id=a; id=b", "twice")]
    [InlineData("v=STSv1;; id=a", "empty field")]
    [InlineData("v=STSv1; id=a b", "malformed field")]
    [InlineData("v=STSv1; =x; id=a", "malformed field")]
    public void Malformed_records_are_not_used(string text, string expected)
    {
        Assert.Null(MtaStsRecord.Select([text], out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_txt_records_at_the_name_are_ignored()
    {
        var record = MtaStsRecord.Select(["google-site-verification=xyz", "v=STSv10; id=9", "v=STSv1; id=7"], out _);

        Assert.Equal("7", record?.Id);
    }

    [Fact]
    public void Two_sts_records_mean_no_usable_record()
    {
        Assert.Null(MtaStsRecord.Select(["v=STSv1; id=1", "v=STSv1; id=2"], out var problem));
        Assert.Contains("2 v=STSv1 TXT records", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void No_sts_record_is_reported_as_such()
    {
        Assert.Null(MtaStsRecord.Select(["v=spf1 -all"], out var problem));
        Assert.Equal("no v=STSv1 TXT record", problem);
    }
}
