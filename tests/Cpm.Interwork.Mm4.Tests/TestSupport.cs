using System.Text;
using Cpm.Interwork.Mime;

namespace Cpm.Interwork.Mm4.Tests;

internal static class Vectors
{
    public static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", name));

    public static Mm4ReadResult Read(string name) => Mm4Reader.Read(Load(name));

    public static T ReadAs<T>(string name) where T : Mm4Message
    {
        var r = Read(name);
        Assert.True(r.IsSuccess, r.Error?.ToString());
        return Assert.IsType<T>(r.Message);
    }

    /// <summary>The header block of a mail as unfolded header fields (RFC 5322 §2.2.3: CRLF before WSP removed).</summary>
    public static List<string> HeaderLines(byte[] mail)
    {
        var text = Encoding.UTF8.GetString(mail);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return [.. text[..end].Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", "\t", StringComparison.Ordinal).Split("\r\n")];
    }

    /// <summary>Removes every header named <paramref name="name"/> (incl. folded continuation lines).</summary>
    public static byte[] WithoutHeader(byte[] mail, string name)
    {
        var text = Encoding.UTF8.GetString(mail);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = text[..end].Split("\r\n");
        var kept = new List<string>();
        var skipping = false;
        foreach (var l in lines)
        {
            if (l.Length > 0 && (l[0] == ' ' || l[0] == '\t')) { if (!skipping) { kept.Add(l); } continue; }
            skipping = l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase);
            if (!skipping) { kept.Add(l); }
        }
        return Encoding.UTF8.GetBytes(string.Join("\r\n", kept) + text[end..]);
    }
}

/// <summary>Deterministic IDs: tx-1@d, msg-1@d, ...</summary>
internal sealed class SequentialIds(string domain) : IMm4IdGenerator
{
    private int _tx;
    private int _msg;
    public string NewTransactionId() => $"tx-{++_tx}@{domain}";
    public string NewMessageId() => $"msg-{++_msg}@{domain}";
}

internal static class Sample
{
    public static Mm4Content RelatedContent()
    {
        var body = MimeMultipartBuilder.Related("<smil>", "application/smil").Boundary("b-sample")
            .Add(new MimePartBuilder("application/smil").ContentId("<smil>").Content("<smil><body><par><img src=\"cid:img\"/><text src=\"cid:txt\"/></par></body></smil>"u8, "7bit").Build())
            .Add(new MimePartBuilder("image/jpeg").ContentId("<img>").Content([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9]).Build())
            .Add(new MimePartBuilder("text/plain; charset=utf-8").ContentId("<txt>").Content(Encoding.UTF8.GetBytes("Grüße 👋"), "quoted-printable").Build())
            .Build();
        return new Mm4Content(body);
    }
}
