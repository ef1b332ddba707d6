namespace Cpm.Interwork.Mm4.Tests;

public class RobustnessTests
{
    public static TheoryData<string> AllVectors() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Vectors"), "*.eml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    /// <summary>A mail cut anywhere (a truncated DATA) is a message or an error, never an exception, and what reads can be written.</summary>
    [Theory]
    [MemberData(nameof(AllVectors))]
    public void EveryPrefix_IsMessageOrError(string file)
    {
        var mail = Vectors.Load(file);
        for (var n = 0; n <= mail.Length; n++)
        {
            var r = Mm4Reader.Read(mail.AsMemory(0, n));
            if (r.IsSuccess) { Assert.NotEmpty(r.Message.ToBytes()); }
            else { Assert.True(Enum.IsDefined(r.Error.Kind)); }
        }
    }

    [Fact]
    public void TruncatedInsideHeaders_ReportsTheFirstMissingHeader()
    {
        var mail = Vectors.Load("forward-req-operator.eml");
        var text = System.Text.Encoding.ASCII.GetString(mail);
        var cut = text.IndexOf("X-Mms-Transaction-ID", StringComparison.Ordinal);
        var r = Mm4Reader.Read(mail.AsMemory(0, cut));
        Assert.Equal(Mm4ReadErrorKind.MissingMandatoryHeader, r.Error!.Kind);
        Assert.Equal(Mm4HeaderNames.TransactionId, r.Error.Header);
        Assert.Equal(Mm4MessageType.ForwardRequest, r.Error.MessageType);
    }
}
